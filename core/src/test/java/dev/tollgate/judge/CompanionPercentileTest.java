package dev.tollgate.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which percentile of the same latency a percentile check reads the tail's spread with. */
class CompanionPercentileTest {

    @Test
    void aP95IsPairedWithTheP99OfTheSameLatencyAndSides() {
        MetricObservations p95 = latency("p95", "Latency", "v2");
        MetricObservations p99 = latency("p99", "Latency", "v2");

        assertSame(p99, SequentialJudge.companion(p95, List.of(p95, p99)));
        assertSame(p95, SequentialJudge.companion(p99, List.of(p95, p99)));
    }

    @Test
    void ofSeveralPercentilesTheNearestLevelIsTheCompanion() {
        MetricObservations p50 = latency("p50", "Latency", "v2");
        MetricObservations p95 = latency("p95", "Latency", "v2");
        MetricObservations p99 = latency("p99", "Latency", "v2");

        assertSame(p95, SequentialJudge.companion(p99, List.of(p50, p95, p99)));
    }

    @Test
    void anotherMetricOtherSidesOrAnotherStatisticAreNoCompanion() {
        MetricObservations p95 = latency("p95", "Latency", "v2");

        assertNull(SequentialJudge.companion(p95, List.of(p95, latency("p99", "Duration", "v2"))));
        assertNull(SequentialJudge.companion(p95, List.of(p95, latency("p99", "Latency", "v3"))));
        assertNull(SequentialJudge.companion(p95, List.of(p95, latency("Average", "Latency", "v2"))));
        assertNull(SequentialJudge.companion(latency("Average", "Latency", "v2"), List.of(p95)));
    }

    @Test
    void aP99CheckWithItsP95WeighsItsPeriodsByTheSpreadTheyShow() {
        // Spread 0.3 (p99/p95 = e^(0.3 · 0.681494)) on 20,000 canary and 180,000 baseline requests a period: the
        // second period's bound is 1.00803e-4 + 0.02² (PercentileShapeTest) against the prior's 2.78741e-4 + 0.02²
        // (no difference between periods is seen before the second, so the data do not scale it yet).
        double p95 = 100;
        double p99 = 100 * Math.exp(0.3 * 0.681494);
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(StepEvidenceBuilder.errorRate(0.10)).repeatCounts(2, 20, 20_000, 180, 180_000);
        step.metric(StepEvidenceBuilder.statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true))
                .sampled(p95, p95, 20_000.0, 180_000.0)
                .sampled(p95, p95, 20_000.0, 180_000.0);
        step.metric(StepEvidenceBuilder.statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true))
                .sampled(p99, p99, 20_000.0, 180_000.0)
                .sampled(p99, p99, 20_000.0, 180_000.0);

        CheckVerdict latency = StepEvidenceBuilder.check(step.judgeAfter(2), "p99-latency");

        assertEquals(Math.sqrt(1.00803e-4 + 0.0004), latency.numbers().get("periodNoise"), 1e-6);
    }

    private static MetricObservations latency(String stat, String metric, String canaryVersion) {
        MetricSpec spec = new MetricSpec(
                stat + "-" + metric,
                MetricKind.STATISTIC,
                null,
                null,
                "App",
                metric,
                stat,
                Map.of("Version", canaryVersion),
                Map.of("Version", "v1"),
                Direction.INCREASE_IS_BAD,
                0.2,
                true);
        return MetricObservations.statistic(spec, MetricSeries.EMPTY, MetricSeries.EMPTY);
    }
}
