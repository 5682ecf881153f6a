package dev.tollgate.judge;

import static dev.tollgate.judge.StepEvidenceBuilder.check;
import static dev.tollgate.judge.StepEvidenceBuilder.errorRate;
import static dev.tollgate.judge.StepEvidenceBuilder.statistic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.judge.StepEvidenceBuilder.MetricSeriesBuilder;
import dev.tollgate.spec.MetricSpec.Direction;
import org.junit.jupiter.api.Test;

class StatisticMetricJudgingTest {

    private static StepEvidenceBuilder withHealthyErrorRate(int periods) {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).repeatCounts(periods, 10, 1000, 90, 9000);
        return step;
    }

    @Test
    void rollsBackWhenP99DoublesSteadilyAtTheSecondPeriod() {
        // x = ln(2 / 1.2) = 0.511 beyond the boundary every period; no sample counts, so the shift test's
        // noise bound is 0.15 a period in both (the one difference it could learn from comes after the
        // second). Each period's x, 3.41 noise widths, is capped at 3, so one period adds at most e^4.5 of
        // shift evidence. Tests started at period 1, as 0.8 shift + 0.15 t + 0.05 sign: the shift mixture of
        // exp(2(3θ - θ²/2)) over its 32 shifts θ (in noise widths), 3647.37; the t-test the mean of
        // (1 + 2g)^(1/2), 41.33; the sign test 3.21: 2924.25. Started at period 2: 0.8 x 54.374 + 0.15 x 1
        // + 0.05 x 1.78 = 43.74. Change-point weights 3/4, 1/8 and 1/8 for "not yet": 2193.19 + 5.47 + 0.125
        // = 2198.8. After one period: 3/4 x 43.74 + 1/4 = 33.05.
        StepEvidenceBuilder step = withHealthyErrorRate(5);
        step.metric(statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true))
                .repeatValues(5, 300.0, 150.0);

        CheckVerdict firstPeriod = check(step.judgeAfter(1), "p99-latency");
        assertEquals(Verdict.INCONCLUSIVE, firstPeriod.verdict(), "one period never fails alone");
        assertEquals(33.05, firstPeriod.numbers().get("regressionEvidence"), 0.01);
        StepVerdict verdict = step.judgeAfter(2);

        assertEquals(Verdict.FAIL, verdict.verdict(), verdict.reason());
        CheckVerdict latency = check(verdict, "p99-latency");
        assertEquals(2.0, latency.numbers().get("periodsBeyondTolerance"));
        assertEquals(2198.8, latency.numbers().get("regressionEvidence"), 0.1);
        assertEquals(2.0, latency.numbers().get("medianRatio"), 1e-12);
        assertTrue(
                latency.reason().startsWith("regression: p99 median canary/baseline ratio 2.00 over 2 periods"),
                latency.reason());
    }

    @Test
    void passesEqualValuesAsWithinToleranceAfterThreePeriods() {
        // Every period exactly on the baseline, ln 1.2 = 0.182 inside the boundary. The shift test's noise
        // bound is 0.15² in periods 1 and 2 and half that in period 3 (one difference, of zero, with the
        // bound's one period of weight), so the periods are 1.2155, 1.2155 and 1.7189 noise widths inside:
        // its mixture is 9.0743. The t-test: (4 + 31 + 301 + 3001 + 30001) / 5 = 6667.6; the sign test
        // (Beta(8,1) mixture) 5.84. 0.8 x 9.0743 + 0.15 x 6667.6 + 0.05 x 5.84 = 1007.7.
        StepEvidenceBuilder step = withHealthyErrorRate(3);
        step.metric(statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true))
                .repeatValues(3, 120.0, 120.0);

        CheckVerdict latency = check(step.judgeAfter(3), "p95-latency");

        assertEquals(Verdict.PASS, latency.verdict(), latency.reason());
        assertEquals(1007.7, latency.numbers().get("noRegressionEvidence"), 0.1);
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
        assertEquals(
                2.0,
                latency.numbers().get("skippedPeriods"),
                "canary points without a usable pair: NaN and no baseline");
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
        step.metric(statistic("throughput", "Sum", 0.10, Direction.DECREASE_IS_BAD, true))
                .repeatValues(8, 1100.0, 1000.0);

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

    @Test
    void rollsBackADoubledP95WeighedByItsSampleCountsAtTheSecondPeriod() {
        // 500 canary and 4,500 baseline requests a period: the noise bound on ln(canary / baseline) is
        // 0.6² · 4.4656 · (1/500 + 1/4500) + 0.02² = 0.0039725, σ = 0.063; a doubled p95 is
        // ln(2 / 1.2) = 0.51, eight σ beyond the boundary, capped at three: at most e^4.5 a period.
        StepEvidenceBuilder step = withHealthyErrorRate(3);
        MetricSeriesBuilder p95 = step.metric(statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true));
        for (int period = 0; period < 3; period++) {
            p95.sampled(240.0, 120.0, 500.0, 4500.0);
        }

        CheckVerdict first = check(step.judgeAfter(1), "p95-latency");
        assertEquals(Verdict.INCONCLUSIVE, first.verdict(), first.reason());
        assertEquals(1.0, first.numbers().get("noiseScaledBySampleCounts"));
        assertEquals(Math.sqrt(0.0039725), first.numbers().get("periodNoise"), 1e-4);
        CheckVerdict second = check(step.judgeAfter(2), "p95-latency");
        assertEquals(Verdict.FAIL, second.verdict(), second.reason());
    }

    @Test
    void aSingleSpikeOnTheCanaryWithItsSampleCountsDoesNotRollBack() {
        StepEvidenceBuilder step = withHealthyErrorRate(10);
        MetricSeriesBuilder p99 = step.metric(statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true));
        for (int period = 0; period < 10; period++) {
            p99.sampled(period == 4 ? 1500.0 : 151.0, 150.0, 2000.0, 18000.0);
        }

        for (int periods = 1; periods <= 10; periods++) {
            assertNotEquals(
                    Verdict.FAIL,
                    check(step.judgeAfter(periods), "p99-latency").verdict(),
                    "after " + periods + " periods");
        }
    }

    @Test
    void zeroPercentilesOnBothSidesReadAsEqualAndNullOnesAsMissing() {
        // A metric that is zero on both sides (no slow requests at all) has no log ratio: the canary equals
        // the baseline, which the sign test counts as within the tolerance, and the shift and t-tests skip.
        // A null percentile (a side without requests) is no point at all.
        StepEvidenceBuilder step = withHealthyErrorRate(6);
        step.metric(statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true))
                .values(0.0, 0.0)
                .values(0.0, 0.0)
                .values(null, 0.0)
                .values(0.0, null)
                .values(0.0, 0.0)
                .values(0.0, 0.0);

        CheckVerdict latency = check(step.judgeAfter(6), "p99-latency");

        assertNotEquals(Verdict.FAIL, latency.verdict(), latency.reason());
        assertEquals(4.0, latency.numbers().get("pairedPeriods"));
        assertEquals(4.0, latency.numbers().get("periodsWithinTolerance"));
        assertEquals(0.0, latency.numbers().get("periodsBeyondTolerance"));
    }

    @Test
    void aPeriodMissingOnOneSideIsSkippedNotReadAsZero() {
        // The baseline misses period 2: the doubled canary is judged on periods 1 and 3, and fails there.
        StepEvidenceBuilder step = withHealthyErrorRate(3);
        step.metric(statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true))
                .values(300.0, 150.0)
                .values(300.0, null)
                .values(300.0, 150.0);

        CheckVerdict afterTwo = check(step.judgeAfter(2), "p99-latency");
        assertEquals(Verdict.INCONCLUSIVE, afterTwo.verdict(), afterTwo.reason());
        assertEquals(1.0, afterTwo.numbers().get("skippedPeriods"));
        CheckVerdict afterThree = check(step.judgeAfter(3), "p99-latency");
        assertEquals(Verdict.FAIL, afterThree.verdict(), afterThree.reason());
        assertEquals(2.0, afterThree.numbers().get("pairedPeriods"));
    }
}
