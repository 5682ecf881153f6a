package dev.tollgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.events.DeploymentEvent.RollbackReason;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.telemetry.MetricPoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentMetricsTest {

    private static final String ID = "checkout-2026-11-24-v42";
    private static final Instant T0 = Instant.parse("2026-11-24T11:00:00Z");

    private static String names(List<MetricPoint> points) {
        return String.join(
                ",",
                points.stream().map(point -> point.name() + point.dimensions()).toList());
    }

    @Test
    void aRollbackOnAVerdictCountsByReasonWithItsDuration() {
        List<MetricPoint> points = DeploymentMetrics.points(DeploymentEvent.finished(
                ID, "checkout", T0.plusSeconds(95), "ROLLED_BACK", "failed", RollbackReason.VERDICT, 0, T0));
        assertEquals("DeploymentsRolledBack{Reason=verdict},DeploymentDuration{Outcome=ROLLED_BACK}", names(points));
        assertEquals(95.0, points.get(1).value());
        assertEquals(MetricPoint.Unit.SECONDS, points.get(1).unit());
        assertEquals("checkout", points.get(0).service());
    }

    @Test
    void aFailureCountsAsARollbackForFailureAndABrokenRollbackAsAManualIntervention() {
        assertEquals(
                "DeploymentsRolledBack{Reason=failure},DeploymentDuration{Outcome=FAILED}",
                names(DeploymentMetrics.points(
                        DeploymentEvent.finished(ID, "checkout", T0, "FAILED", "x", RollbackReason.FAILURE, 0, T0))));
        assertEquals(
                "ManualInterventionsRequired{},DeploymentDuration{Outcome=MANUAL_INTERVENTION_REQUIRED}",
                names(DeploymentMetrics.points(DeploymentEvent.finished(
                        ID, "checkout", T0, "MANUAL_INTERVENTION_REQUIRED", "x", RollbackReason.FAILURE, -1, T0))));
    }

    @Test
    void aDryRunCountsAsADryRunNotAsARollbackOrAFailure() {
        assertEquals(
                "DeploymentDryRuns{},DeploymentDuration{Outcome=DRY_RUN}",
                names(DeploymentMetrics.points(DeploymentEvent.finished(
                        ID, "checkout", T0, "DRY_RUN", "dry run: nothing deployed", null, 0, T0))));
    }

    @Test
    void everyTickCountsItsVerdictAndADecisiveOneItsTimeToDecision() {
        StepVerdict pass = new StepVerdict(Verdict.PASS, "ok", List.of(), true, T0.plusSeconds(40));
        List<MetricPoint> points = DeploymentMetrics.points(DeploymentEvent.stepVerdict(
                ID, "checkout", T0.plusSeconds(41), 0, 3, 10, pass, "NEXT_STEP", "judge", "passed", T0.plusSeconds(1)));
        assertEquals("Verdicts{Verdict=PASS},TimeToDecision{}", names(points));
        assertEquals(40.0, points.get(1).value());
        assertEquals(
                "Verdicts{Verdict=INCONCLUSIVE}",
                names(DeploymentMetrics.points(DeploymentEvent.stepVerdict(
                        ID,
                        "checkout",
                        T0,
                        0,
                        3,
                        10,
                        new StepVerdict(Verdict.INCONCLUSIVE, "wait", List.of(), false, T0),
                        "CONTINUE_BAKING",
                        "judge",
                        "baking",
                        T0))));
    }

    @Test
    void startsShiftsPromotionsAndGatesAreCounted() {
        assertEquals(
                "DeploymentsStarted{}",
                names(DeploymentMetrics.points(DeploymentEvent.started(ID, "checkout", "arn", T0))));
        assertEquals(
                "StepsShifted{}",
                names(DeploymentMetrics.points(DeploymentEvent.stepShifted(ID, "checkout", T0, 0, 3, 10))));
        assertEquals(
                "ApprovalGatesOpened{}",
                names(DeploymentMetrics.points(DeploymentEvent.awaitingApproval(ID, "checkout", T0, 1, "r"))));
        assertEquals(
                "DeploymentsPromoted{},DeploymentDuration{Outcome=PROMOTED}",
                names(DeploymentMetrics.points(
                        DeploymentEvent.finished(ID, "checkout", T0, "PROMOTED", "ok", null, 100, T0))));
        assertEquals(
                Map.of(),
                DeploymentMetrics.points(DeploymentEvent.started(ID, "checkout", "arn", T0))
                        .get(0)
                        .dimensions());
    }
}
