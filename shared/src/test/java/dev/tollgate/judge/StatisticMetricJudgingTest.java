package dev.tollgate.judge;

import static dev.tollgate.judge.StepEvidenceBuilder.check;
import static dev.tollgate.judge.StepEvidenceBuilder.errorRate;
import static dev.tollgate.judge.StepEvidenceBuilder.statistic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.spec.MetricSpec.Direction;
import org.junit.jupiter.api.Test;

class StatisticMetricJudgingTest {

    private static StepEvidenceBuilder withHealthyErrorRate(int periods) {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).repeatCounts(periods, 10, 1000, 90, 9000);
        return step;
    }

    @Test
    void rollsBackWhenP99DoublesSteadilyWithinThreePeriods() {
        // log(2 / 1.2) = 0.51 beyond the boundary every period with no spread. Tests started at period 1:
        // t-test (1 + 3g) per prior scale g, 6667.6 mixed; sign test 5.84; 1:3 average 5002.2. Started at
        // period 2: t-test mean of (1 + 2g)^(1/2) = 41.33, sign 3.21, average 31.8. Started at period 3:
        // 0.25·1.78 + 0.75 = 1.195. Change-point weights 3/4, 1/8, 1/24 and 1/12 for "not yet":
        // 3751.6 + 3.98 + 0.05 + 0.08 = 3755.7.
        StepEvidenceBuilder step = withHealthyErrorRate(5);
        step.metric(statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true)).repeatValues(5, 300.0, 150.0);

        assertEquals(Verdict.INCONCLUSIVE, check(step.judgeAfter(2), "p99-latency").verdict());
        StepVerdict verdict = step.judgeAfter(3);

        assertEquals(Verdict.FAIL, verdict.verdict(), verdict.reason());
        CheckVerdict latency = check(verdict, "p99-latency");
        assertEquals(3.0, latency.numbers().get("periodsBeyondTolerance"));
        assertEquals(3755.7, latency.numbers().get("regressionEvidence"), 1.0);
        assertEquals(2.0, latency.numbers().get("medianRatio"), 1e-12);
        assertTrue(latency.reason().startsWith("regression: p99 median canary/baseline ratio 2.00 over 3 periods"), latency.reason());
    }

    @Test
    void passesEqualValuesAsWithinToleranceAfterThreePeriods() {
        // Every period exactly on the baseline: the evidence of no regression is the 1:3 average of the
        // sign test (Beta(8,1) mixture: 8/(1 − 2^-8)·∫ 8p^3·p^7 dp over (1/2, 1) = 5.84) and the t-test
        // ((4 + 31 + 301 + 3001 + 30001) / 5 = 6667.6): 0.25·5.84 + 0.75·6667.6 = 5002.2.
        StepEvidenceBuilder step = withHealthyErrorRate(3);
        step.metric(statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true)).repeatValues(3, 120.0, 120.0);

        CheckVerdict latency = check(step.judgeAfter(3), "p95-latency");

        assertEquals(Verdict.PASS, latency.verdict(), latency.reason());
        assertEquals(5002.2, latency.numbers().get("noRegressionEvidence"), 1.0);
        assertEquals(0.0, latency.numbers().get("periodsBeyondTolerance"));
        assertEquals(3.0, latency.numbers().get("periodsWithinTolerance"));
    }

    @Test
    void skipsNotANumberPercentilesAndMissingPeriods() {
        StepEvidenceBuilder step = withHealthyErrorRate(6);
        step.metric(statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true))
                .values(120.0, 118.0)
                .values(Double.NaN, 119.0)
                .values(121.0, null)
                .values(null, 117.0)
                .values(119.0, 120.0)
                .values(122.0, 121.0);

        CheckVerdict latency = check(step.judgeAfter(6), "p95-latency");

        assertEquals(3.0, latency.numbers().get("pairedPeriods"));
        assertEquals(2.0, latency.numbers().get("skippedPeriods"), "canary points without a usable pair: NaN and no baseline");
    }

    @Test
    void oneWildPeriodDoesNotRollBack() {
        // A single period at 10x (a GC pause, a cold cache) among steady ones.
        StepEvidenceBuilder step = withHealthyErrorRate(12);
        step.metric(statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true))
                .repeatValues(3, 150.0, 150.0)
                .values(1500.0, 150.0)
                .repeatValues(8, 151.0, 150.0);

        for (int periods = 1; periods <= 12; periods++) {
            assertNotEquals(Verdict.FAIL, step.judgeAfter(periods).verdict(), "after " + periods + " periods");
        }
    }

    @Test
    void ignoresALatencySpikeThatHitsBothSides() {
        StepEvidenceBuilder step = withHealthyErrorRate(12);
        step.metric(statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true))
                .repeatValues(4, 152.0, 150.0)
                .repeatValues(4, 610.0, 600.0)
                .repeatValues(4, 149.0, 150.0);

        for (int periods = 1; periods <= 12; periods++) {
            assertNotEquals(Verdict.FAIL, step.judgeAfter(periods).verdict(), "after " + periods + " periods");
        }
        assertEquals(Verdict.PASS, step.judgeAfter(12).verdict());
    }

    @Test
    void rollsBackWhenAMetricThatMustNotDropFallsByHalf() {
        StepEvidenceBuilder step = withHealthyErrorRate(4);
        step.metric(statistic("throughput", "Sum", 0.10, Direction.DECREASE_IS_BAD, true))
                .values(500.0, 1000.0)
                .values(480.0, 1010.0)
                .values(510.0, 990.0)
                .values(495.0, 1000.0);

        CheckVerdict throughput = check(step.judgeAfter(4), "throughput");

        assertEquals(Verdict.FAIL, throughput.verdict(), throughput.reason());
        assertTrue(throughput.reason().contains("4 of 4 periods below 0.900x baseline"), throughput.reason());
    }

    @Test
    void passesAMetricThatMustNotDropWhenItRises() {
        StepEvidenceBuilder step = withHealthyErrorRate(8);
        step.metric(statistic("throughput", "Sum", 0.10, Direction.DECREASE_IS_BAD, true)).repeatValues(8, 1100.0, 1000.0);

        assertEquals(Verdict.PASS, check(step.judgeAfter(8), "throughput").verdict());
    }

    @Test
    void staysUndecidedWhileTheCanaryHoversAroundTheBoundary() {
        StepEvidenceBuilder step = withHealthyErrorRate(6);
        step.metric(statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true))
                .values(130.0, 100.0)
                .values(110.0, 100.0)
                .values(125.0, 100.0)
                .values(115.0, 100.0)
                .values(128.0, 100.0)
                .values(112.0, 100.0);

        CheckVerdict latency = check(step.judgeAfter(6), "p95-latency");

        assertEquals(Verdict.INCONCLUSIVE, latency.verdict(), latency.reason());
        assertEquals(3.0, latency.numbers().get("periodsBeyondTolerance"));
    }
}
