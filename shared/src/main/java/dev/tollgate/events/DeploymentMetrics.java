package dev.tollgate.events;

import dev.tollgate.telemetry.EmfMetrics;
import dev.tollgate.telemetry.MetricPoint;
import dev.tollgate.telemetry.MetricPoint.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Counts the facts of deployments as CloudWatch metrics: started, steps shifted, verdicts by
 * verdict, time to decision, approval gates, promoted, rolled back by reason, dry runs, duration. Every point
 * is emitted with two dimension sets, its own dimensions alone (all services) and with
 * {@code Service} (the service deployed), so a dashboard graphs both without metric math.
 */
public final class DeploymentMetrics implements DeploymentEvents {

    public static final String NAMESPACE = "Tollgate";

    public static final String STARTED = "DeploymentsStarted";
    public static final String STEPS_SHIFTED = "StepsShifted";
    public static final String VERDICTS = "Verdicts";
    public static final String TIME_TO_DECISION = "TimeToDecision";
    public static final String APPROVAL_GATES = "ApprovalGatesOpened";
    public static final String PROMOTED = "DeploymentsPromoted";
    public static final String ROLLED_BACK = "DeploymentsRolledBack";
    public static final String MANUAL_INTERVENTIONS = "ManualInterventionsRequired";
    public static final String DRY_RUNS = "DeploymentDryRuns";
    public static final String DURATION = "DeploymentDuration";

    private final Consumer<MetricPoint> emitter;

    /** Emits through {@code emitter}: {@link EmfMetrics} in a function, a list in a test. */
    public DeploymentMetrics(Consumer<MetricPoint> emitter) {
        this.emitter = emitter;
    }

    @Override
    public void publish(DeploymentEvent event) {
        points(event).forEach(emitter);
    }

    /** The points one fact yields. */
    public static List<MetricPoint> points(DeploymentEvent event) {
        List<MetricPoint> points = new ArrayList<>();
        switch (event.type()) {
            case STARTED -> points.add(point(event, STARTED, 1, Unit.COUNT, Map.of()));
            case STEP_SHIFTED -> points.add(point(event, STEPS_SHIFTED, 1, Unit.COUNT, Map.of()));
            case STEP_VERDICT -> {
                points.add(point(event, VERDICTS, 1, Unit.COUNT, Map.of("Verdict", event.verdict())));
                if (event.timeToDecisionSeconds() != null) {
                    points.add(point(event, TIME_TO_DECISION, event.timeToDecisionSeconds(), Unit.SECONDS, Map.of()));
                }
            }
            case AWAITING_APPROVAL -> points.add(point(event, APPROVAL_GATES, 1, Unit.COUNT, Map.of()));
            case PROMOTED -> points.add(point(event, PROMOTED, 1, Unit.COUNT, Map.of()));
            case DRY_RUN -> points.add(point(event, DRY_RUNS, 1, Unit.COUNT, Map.of()));
            case ROLLED_BACK, FAILED -> {
                if ("MANUAL_INTERVENTION_REQUIRED".equals(event.status())) {
                    points.add(point(event, MANUAL_INTERVENTIONS, 1, Unit.COUNT, Map.of()));
                } else {
                    DeploymentEvent.RollbackReason reason = event.rollbackReason() != null
                            ? event.rollbackReason()
                            : DeploymentEvent.RollbackReason.FAILURE;
                    points.add(point(event, ROLLED_BACK, 1, Unit.COUNT, Map.of("Reason", reason.label())));
                }
            }
        }
        if (event.durationSeconds() != null) {
            points.add(
                    point(event, DURATION, event.durationSeconds(), Unit.SECONDS, Map.of("Outcome", event.status())));
        }
        return points;
    }

    private static MetricPoint point(
            DeploymentEvent event, String name, double value, Unit unit, Map<String, String> dimensions) {
        return new MetricPoint(
                name, value, unit, dimensions, event.service(), event.deploymentId(), event.executionArn());
    }
}
