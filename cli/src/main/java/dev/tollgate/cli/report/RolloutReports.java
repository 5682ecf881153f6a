package dev.tollgate.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.aws.Placed;
import dev.tollgate.cli.report.RolloutReport.Chart;
import dev.tollgate.cli.report.RolloutReport.Check;
import dev.tollgate.cli.report.RolloutReport.DecisionPoint;
import dev.tollgate.cli.report.RolloutReport.Migrations;
import dev.tollgate.cli.report.RolloutReport.Point;
import dev.tollgate.cli.report.RolloutReport.SecretPin;
import dev.tollgate.cli.report.RolloutReport.StateSpan;
import dev.tollgate.cli.report.RolloutReport.Step;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.json.Json;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.metrics.SeriesQuery;
import dev.tollgate.ops.DeploymentExecutions;
import dev.tollgate.ops.DeploymentFacts;
import dev.tollgate.ops.ExecutionEvent;
import dev.tollgate.ops.ExecutionView;
import dev.tollgate.ops.HistoryReport;
import dev.tollgate.ops.TickOutputs;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MetricSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers a deployment's report from where the facts are kept: the deployment's record (status,
 * reason, timeline), the execution's history (the spec, every state, each step's shift, every
 * verdict with its checks and numbers, every decision, the migrations and pinned secrets) and the
 * metrics themselves (one {@code GetMetricData} per step for every metric, canary and baseline, the
 * same series the judge read).
 */
public final class RolloutReports {

    /** Periods shown before a step starts, so the chart shows where the canary came from. */
    private static final int PERIODS_BEFORE = 2;

    private final DeploymentStore store;
    private final DeploymentExecutions executions;
    private final Placed<MetricSource> metrics;
    private final Clock clock;

    public RolloutReports(DeploymentStore store, DeploymentExecutions executions, MetricSource metrics, Clock clock) {
        this(store, executions, Placed.everywhere(metrics), clock);
    }

    /** With each deployment's charts read where its target publishes its metrics (its region, its role). */
    public RolloutReports(
            DeploymentStore store, DeploymentExecutions executions, Placed<MetricSource> metrics, Clock clock) {
        this.store = store;
        this.executions = executions;
        this.metrics = metrics;
        this.clock = clock;
    }

    public RolloutReport build(String deploymentId) {
        DeploymentFacts facts = DeploymentFacts.find(store, executions, deploymentId);
        Optional<DeploymentRecord> record = facts.record();
        String executionArn = facts.executionArn();
        Optional<ExecutionView> execution = facts.execution();
        List<ExecutionEvent> history = facts.history();
        Optional<DeploymentSpec> spec = spec(history);
        Instant end = record.map(DeploymentRecord::finishedAt)
                .orElseGet(() -> history.isEmpty()
                        ? clock.instant()
                        : history.get(history.size() - 1).at());
        int period = spec.map(s -> s.analysis().periodSeconds()).orElse(60);
        return new RolloutReport(
                deploymentId,
                record.map(DeploymentRecord::service)
                        .orElseGet(() -> spec.map(DeploymentSpec::service).orElse(null)),
                record.map(r -> r.status().name())
                        .orElseGet(() -> execution.map(e -> e.state().name()).orElse("UNKNOWN")),
                record.map(DeploymentRecord::reason).orElse(null),
                executionArn,
                record.map(DeploymentRecord::startedAt)
                        .orElseGet(
                                () -> history.isEmpty() ? null : history.get(0).at()),
                record.map(DeploymentRecord::finishedAt).orElse(null),
                period,
                states(history),
                record.map(DeploymentRecord::timeline).orElse(List.of()),
                spec.map(s -> steps(s, history, end)).orElse(List.of()),
                migrations(history),
                secrets(history),
                clock.instant());
    }

    /** The spec as the state machine validated it: the first state output that carries one. */
    public static Optional<DeploymentSpec> spec(List<ExecutionEvent> history) {
        for (ExecutionEvent event : history) {
            JsonNode output = payload(event);
            if (output != null && output.path("spec").isObject()) {
                try {
                    return Optional.of(Json.convert(output.get("spec"), DeploymentSpec.class));
                } catch (RuntimeException unreadable) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    static List<StateSpan> states(List<ExecutionEvent> history) {
        List<StateSpan> spans = new ArrayList<>();
        Map<String, Integer> open = new LinkedHashMap<>();
        String lastFailure = null;
        for (ExecutionEvent event : history) {
            if (event.stateEntered()) {
                open.put(event.stateName(), spans.size());
                spans.add(new StateSpan(event.stateName(), event.at(), null, null));
            } else if (event.stateExited() && open.containsKey(event.stateName())) {
                int index = open.remove(event.stateName());
                StateSpan entered = spans.get(index);
                spans.set(index, new StateSpan(entered.name(), entered.entered(), event.at(), entered.failure()));
            } else if (event.is("LambdaFunctionFailed") || event.is("TaskFailed")) {
                lastFailure = event.error() + ": " + HistoryReport.errorMessage(event.cause());
                if (!spans.isEmpty()) {
                    StateSpan last = spans.get(spans.size() - 1);
                    spans.set(spans.size() - 1, new StateSpan(last.name(), last.entered(), last.exited(), lastFailure));
                }
            } else if (event.is("ExecutionFailed") && !spans.isEmpty()) {
                StateSpan last = spans.get(spans.size() - 1);
                spans.set(
                        spans.size() - 1,
                        new StateSpan(
                                last.name(),
                                last.entered(),
                                event.at(),
                                event.error() + ": " + HistoryReport.errorMessage(event.cause())));
            } else if (event.is("ExecutionSucceeded") && !spans.isEmpty()) {
                StateSpan last = spans.get(spans.size() - 1);
                spans.set(
                        spans.size() - 1,
                        new StateSpan(
                                last.name(),
                                last.entered(),
                                last.exited() == null ? event.at() : last.exited(),
                                last.failure()));
            }
        }
        return spans;
    }

    private List<Step> steps(DeploymentSpec spec, List<ExecutionEvent> history, Instant end) {
        List<JsonNode> shifts = new ArrayList<>();
        List<DecisionPoint> decisions = new ArrayList<>();
        List<Integer> decisionSteps = new ArrayList<>();
        List<DecisionPoint> watchTicks = new ArrayList<>();
        Instant watchStartedAt = null;
        JsonNode verdict = null;
        for (ExecutionEvent event : history) {
            JsonNode output = TickOutputs.worthReading(event) ? payload(event) : null;
            if (output == null) {
                continue;
            }
            JsonNode tickVerdict = TickOutputs.verdict(event, output);
            if (!tickVerdict.isMissingNode()) {
                verdict = tickVerdict;
            }
            if (!event.stateExited()) {
                continue;
            }
            switch (event.stateName()) {
                case "ShiftTraffic" -> shifts.add(output.path("progress"));
                case TickOutputs.DECIDE -> {
                    JsonNode decision = output.path("decision");
                    decisions.add(decisionPoint(verdict, decision, event.at()));
                    decisionSteps.add(output.path("progress").path("stepIndex").asInt(-1));
                }
                case "StartWatchAfterPromotion" ->
                    watchStartedAt = Instant.parse(
                            output.path("postPromotionWatch").path("promotedAt").asText());
                case TickOutputs.WATCH ->
                    watchTicks.add(decisionPoint(verdict, TickOutputs.decision(event, output), event.at()));
                default -> {}
            }
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < shifts.size(); i++) {
            JsonNode progress = shifts.get(i);
            int stepIndex = progress.path("stepIndex").asInt();
            Instant startedAt = Instant.parse(progress.path("stepStartedAt").asText());
            Instant endedAt = i + 1 < shifts.size()
                    ? Instant.parse(shifts.get(i + 1).path("stepStartedAt").asText())
                    : end;
            List<DecisionPoint> ofStep = new ArrayList<>();
            for (int d = 0; d < decisions.size(); d++) {
                if (decisionSteps.get(d) == stepIndex) {
                    ofStep.add(decisions.get(d));
                }
            }
            int bake = stepIndex < spec.steps().size() ? spec.step(stepIndex).bakeSeconds() : 0;
            steps.add(new Step(
                    stepIndex,
                    progress.path("canaryWeight").asInt(),
                    startedAt,
                    bake,
                    endedAt,
                    charts(metrics.at(spec), spec, startedAt, endedAt),
                    ofStep));
        }
        if (watchStartedAt != null) {
            // The post-promotion watch, drawn as a last step at 100 % (its judge compared with the old version's
            // history).
            steps.add(new Step(
                    spec.promotionStepIndex(),
                    100,
                    watchStartedAt,
                    spec.watchSeconds(),
                    end,
                    charts(metrics.at(spec), spec, watchStartedAt, end),
                    watchTicks));
        }
        return steps;
    }

    private static DecisionPoint decisionPoint(JsonNode verdict, JsonNode decision, Instant decidedAt) {
        List<Check> checks = new ArrayList<>();
        if (verdict != null) {
            for (JsonNode check : verdict.path("checks")) {
                Map<String, Double> numbers = new LinkedHashMap<>();
                check.path("numbers").properties().forEach(entry -> {
                    if (entry.getValue().isNumber()) {
                        numbers.put(entry.getKey(), entry.getValue().asDouble());
                    }
                });
                checks.add(new Check(
                        check.path("name").asText(),
                        check.path("verdict").asText(),
                        check.path("reason").asText(),
                        numbers,
                        TickOutputs.isDryRun(check)));
            }
        }
        Instant at = verdict != null && verdict.hasNonNull("analysedAt")
                ? Instant.parse(verdict.get("analysedAt").asText())
                : decidedAt;
        return new DecisionPoint(
                at,
                verdict == null ? "NONE" : verdict.path("verdict").asText(),
                decision.path("action").asText(),
                decision.path("decidedBy").asText("judge"),
                decision.path("reason").asText(),
                checks);
    }

    /** Every metric of the spec over the step, canary and baseline, in one batched read (the replay's report reads the same). */
    public static List<Chart> charts(
            MetricSource metrics, DeploymentSpec spec, Instant stepStartedAt, Instant stepEndedAt) {
        int period = spec.analysis().periodSeconds();
        Instant start = floor(stepStartedAt, period).minusSeconds((long) PERIODS_BEFORE * period);
        Instant end = floor(stepEndedAt, period).plusSeconds(period);
        List<SeriesQuery> queries = new ArrayList<>();
        List<MetricSpec> metricSpecs = spec.analysis().metrics();
        for (int index = 0; index < metricSpecs.size(); index++) {
            queries.addAll(AnalysisService.queriesFor(index, metricSpecs.get(index)));
        }
        Map<String, MetricSeries> series = queries.isEmpty() ? Map.of() : metrics.series(queries, start, end, period);
        List<Chart> charts = new ArrayList<>();
        for (int index = 0; index < metricSpecs.size(); index++) {
            MetricSpec metric = metricSpecs.get(index);
            String prefix = "m" + index + "_";
            if (metric.kind() == MetricSpec.MetricKind.RATIO) {
                charts.add(new Chart(
                        metric.name(),
                        "%",
                        rate(series.get(prefix + "cn"), series.get(prefix + "cd")),
                        rate(series.get(prefix + "bn"), series.get(prefix + "bd"))));
            } else {
                charts.add(new Chart(
                        metric.name(),
                        metric.stat(),
                        points(series.get(prefix + "cv")),
                        points(series.get(prefix + "bv"))));
            }
        }
        return charts;
    }

    /** Numerator over denominator per period, as a percentage; periods without requests are left out. */
    private static List<Point> rate(MetricSeries numerator, MetricSeries denominator) {
        if (numerator == null || denominator == null) {
            return List.of();
        }
        Map<Instant, Double> numerators = new LinkedHashMap<>();
        for (int i = 0; i < numerator.size(); i++) {
            numerators.put(numerator.timestamps().get(i), numerator.values().get(i));
        }
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < denominator.size(); i++) {
            double requests = denominator.values().get(i);
            if (requests > 0) {
                Instant at = denominator.timestamps().get(i);
                points.add(new Point(at, 100.0 * numerators.getOrDefault(at, 0.0) / requests));
            }
        }
        return points;
    }

    private static List<Point> points(MetricSeries series) {
        if (series == null) {
            return List.of();
        }
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            points.add(new Point(series.timestamps().get(i), series.values().get(i)));
        }
        return points;
    }

    static Migrations migrations(List<ExecutionEvent> history) {
        Migrations found = Migrations.NONE;
        for (ExecutionEvent event : history) {
            JsonNode output = event.stateExited()
                            && ("RunMigrations".equals(event.stateName())
                                    || "CheckMigrationTask".equals(event.stateName()))
                    ? payload(event)
                    : null;
            if (output != null && output.path("migrations").isObject()) {
                JsonNode migrations = output.get("migrations");
                List<String> applied = new ArrayList<>();
                migrations
                        .path("applied")
                        .forEach(script -> applied.add(script.path("script")
                                .asText(script.path("version").asText())));
                List<String> pending = new ArrayList<>();
                migrations
                        .path("pending")
                        .forEach(script -> pending.add(script.path("script")
                                .asText(script.path("version").asText())));
                found = new Migrations(
                        migrations.path("mode").asText("NONE"),
                        migrations.path("summary").asText(""),
                        applied,
                        pending);
            }
        }
        return found;
    }

    static List<SecretPin> secrets(List<ExecutionEvent> history) {
        for (ExecutionEvent event : history) {
            JsonNode output = event.stateExited() && "FetchSecrets".equals(event.stateName()) ? payload(event) : null;
            if (output != null) {
                List<SecretPin> pins = new ArrayList<>();
                output.path("secrets")
                        .path("secrets")
                        .forEach(secret -> pins.add(new SecretPin(
                                secret.path("id").asText(),
                                secret.path("versionId").asText())));
                return pins;
            }
        }
        return List.of();
    }

    private static JsonNode payload(ExecutionEvent event) {
        if (event.payload() == null) {
            return null;
        }
        try {
            return Json.tree(event.payload());
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static Instant floor(Instant instant, int periodSeconds) {
        long seconds = instant.getEpochSecond();
        return Instant.ofEpochSecond(seconds - Math.floorMod(seconds, periodSeconds));
    }
}
