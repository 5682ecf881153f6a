package dev.tollgate.bench;

import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Side;
import dev.tollgate.judge.MetricObservations;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.judge.StepEvidence;
import dev.tollgate.spec.AnalysisSpec;
import dev.tollgate.spec.AnalysisSpec.InconclusivePolicy;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.MetricSpec.MetricRef;
import dev.tollgate.spec.StepSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the first periods of a scenario into the {@link StepEvidence} the analysis service would
 * build from CloudWatch: an error-rate RATIO metric and p95 and p99 STATISTIC metrics (all
 * critical: the scenarios' truth counts a regression on any metric), with the scenario's
 * tolerances, the percentiles with their sample counts (each side's requests). A null in the
 * scenario becomes a missing point, as CloudWatch returns it.
 */
public final class ScenarioEvidence {

    /** An arbitrary, period-aligned start for the replayed step. */
    static final Instant STEP_START = Instant.parse("2026-11-24T10:00:00Z");

    private ScenarioEvidence() {}

    public static AnalysisSpec analysis(Scenario scenario) {
        Map<String, String> canary = Map.of("Version", "canary");
        Map<String, String> baseline = Map.of("Version", "baseline");
        List<MetricSpec> metrics = List.of(
                new MetricSpec(
                        "error-rate",
                        MetricKind.RATIO,
                        new MetricRef("App", "5xx"),
                        new MetricRef("App", "Requests"),
                        null,
                        null,
                        null,
                        canary,
                        baseline,
                        Direction.INCREASE_IS_BAD,
                        scenario.tolerance().errorRate(),
                        true),
                new MetricSpec(
                        "p95-latency",
                        MetricKind.STATISTIC,
                        null,
                        null,
                        "App",
                        "Latency",
                        "p95",
                        canary,
                        baseline,
                        Direction.INCREASE_IS_BAD,
                        scenario.tolerance().p95(),
                        true),
                new MetricSpec(
                        "p99-latency",
                        MetricKind.STATISTIC,
                        null,
                        null,
                        "App",
                        "Latency",
                        "p99",
                        canary,
                        baseline,
                        Direction.INCREASE_IS_BAD,
                        scenario.tolerance().p99(),
                        true));
        return new AnalysisSpec(
                scenario.periodSeconds(),
                metrics,
                null,
                List.of(),
                scenario.falsePositiveRate(),
                InconclusivePolicy.PAUSE);
    }

    public static StepSpec step(Scenario scenario) {
        return new StepSpec(
                (int) Math.round(100 * scenario.canaryWeight()),
                scenario.bakePeriods() * scenario.periodSeconds(),
                scenario.maxPeriods() * scenario.periodSeconds(),
                scenario.minRequests(),
                false);
    }

    public static StepEvidence evidence(Scenario scenario, int periodsSeen) {
        AnalysisSpec analysis = analysis(scenario);
        List<MetricObservations> observations = List.of(
                MetricObservations.ratio(
                        analysis.metrics().get(0),
                        series(scenario, periodsSeen, true, Side::errors),
                        series(scenario, periodsSeen, true, Side::requests),
                        series(scenario, periodsSeen, false, Side::errors),
                        series(scenario, periodsSeen, false, Side::requests)),
                latency(scenario, periodsSeen, analysis.metrics().get(1), Side::p95),
                latency(scenario, periodsSeen, analysis.metrics().get(2), Side::p99));
        Instant now = STEP_START.plusSeconds((long) periodsSeen * scenario.periodSeconds());
        return new StepEvidence(
                analysis, step(scenario), (int) Math.round(100 * scenario.canaryWeight()), observations, Map.of(), now);
    }

    /** A latency percentile and, as CloudWatch's SampleCount would give it, the requests behind it. */
    private static MetricObservations latency(
            Scenario scenario, int periodsSeen, MetricSpec metric, Function<Side, Double> percentile) {
        return MetricObservations.statistic(
                metric,
                series(scenario, periodsSeen, true, percentile),
                series(scenario, periodsSeen, false, percentile),
                series(scenario, periodsSeen, true, Side::requests),
                series(scenario, periodsSeen, false, Side::requests));
    }

    private static MetricSeries series(
            Scenario scenario, int periodsSeen, boolean canary, Function<Side, Double> field) {
        List<Instant> timestamps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int k = 0; k < periodsSeen; k++) {
            Scenario.Period period = scenario.periods().get(k);
            Side side = canary ? period.canary() : period.baseline();
            Double value = side == null ? null : field.apply(side);
            if (value != null) {
                timestamps.add(STEP_START.plusSeconds((long) k * scenario.periodSeconds()));
                values.add(value);
            }
        }
        return new MetricSeries(timestamps, values);
    }
}
