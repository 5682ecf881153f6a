package dev.tollgate.judge;

import static dev.tollgate.judge.StepEvidenceBuilder.check;
import static dev.tollgate.judge.StepEvidenceBuilder.errorRate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.spec.MetricSpec.Direction;
import org.junit.jupiter.api.Test;

class RatioMetricJudgingTest {

    @Test
    void rollsBackWhenCanaryErrorRateTriplesAtFivePercent() {
        // 5 % of traffic: 1000 canary requests at 3 % errors against 19000 baseline requests at 1 %.
        // Under "within tolerance" the canary's share of a period's 220 errors is at most
        // 0.05·1.1 / (0.05·1.1 + 0.95) = 5.5 %, about 12 errors; it gets 30: enough in the first period.
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).repeatCounts(5, 30, 1000, 190, 19000);

        StepVerdict first = step.judgeAfter(1);

        assertEquals(Verdict.FAIL, first.verdict(), first.reason());
        CheckVerdict errors = check(first, "error-rate");
        assertTrue(
                errors.reason().startsWith("regression: canary 3.0% (30/1000) vs baseline 1.0% (190/19000)"),
                errors.reason());
        assertEquals(3.0, errors.numbers().get("rateRatio"), 1e-9);
        assertTrue(errors.numbers().get("regressionEvidence") >= 100);
        assertTrue(errors.numbers().get("rateRatioLowerBound") > 1.1, "the confidence sequence excludes the tolerance");
        assertEquals(0.01, errors.numbers().get("alpha"));
        assertEquals(100, errors.numbers().get("evidenceNeeded"), 1e-9);
    }

    @Test
    void raisesTheGrossBoundaryWhereTheBakeBudgetCannotRuleOutADoubling() {
        // The baseline's 4 errors in 9,000 requests make 0.4444 canary errors a period at its rate, 13.33 over
        // the step's 30-period budget (1,800 s of 60 s periods). Ruling out rate b from a canary at rate 1 earns
        // b − 1 − ln b per expected error; twice the 4.6052 needed over 13.33 errors is 0.69078 an error, which
        // b = 2.6746 earns. A doubling could not be ruled out (0.3069 an error: 4.09 in all), 2.67 can.
        StepEvidenceBuilder step = new StepEvidenceBuilder().minRequests(5000);
        step.metric(errorRate(0.10)).repeatCounts(10, 0, 1000, 4, 9000);

        CheckVerdict errors = check(step.judgeAfter(10), "error-rate");

        assertEquals(2.6746, errors.numbers().get("grossBoundary"), 1e-4);
    }

    @Test
    void theGrossBoundaryIsTheRatioAHealthyCanaryRulesOutWithinTheBudget() {
        double twiceNeeded = 2 * Math.log(100);
        // 0.30701 an expected error: a doubling earns 1 − ln 2 = 0.30685, just short, so a hair above 2.
        assertEquals(2.0003, Boundaries.reachableBoundary(30, twiceNeeded), 1e-4);
        // 0.09210 an error: 1.4927, under the 1.5 that several errors a period have anyway.
        assertEquals(1.4927, Boundaries.reachableBoundary(100, twiceNeeded), 1e-4);
        // Three expected errors would need 3.07 an error, more than a fivefold rate earns (5 − 1 − ln 5 = 2.39).
        assertEquals(5.0, Boundaries.reachableBoundary(3, twiceNeeded));
        assertEquals(1.0, Boundaries.reachableBoundary(0, twiceNeeded), "no errors expected: nothing to raise");
    }

    @Test
    void passesAnEqualErrorRateOnceTheMinimumSampleIsReached() {
        StepEvidenceBuilder step = new StepEvidenceBuilder().minRequests(5000);
        step.metric(errorRate(0.10)).repeatCounts(10, 10, 1000, 90, 9000);

        StepVerdict beforeMinimum = step.judgeAfter(4);
        StepVerdict afterMinimum = step.judgeAfter(10);

        assertEquals(Verdict.INCONCLUSIVE, beforeMinimum.verdict());
        assertFalse(beforeMinimum.minimumSampleReached());
        assertTrue(beforeMinimum.reason().contains("4000 of 5000 canary requests compared"), beforeMinimum.reason());
        assertEquals(Verdict.PASS, afterMinimum.verdict(), afterMinimum.reason());
        assertTrue(afterMinimum.minimumSampleReached());
        assertEquals(1.0, check(afterMinimum, "error-rate").numbers().get("rateRatio"), 1e-9);
    }

    @Test
    void rollsBackWhenTheBaselineHasNoErrorsAndTheCanaryHasFive() {
        // Five errors, all in the canary, at a 10 % share: under the tolerance boundary each error
        // lands in the canary with probability at most 0.11/1.01 = 0.109, so five in a row is
        // 0.109^5 = 1.5e-5 likely: more than enough, and no division by a zero baseline rate.
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).counts(5, 1000, 0, 9000);

        StepVerdict verdict = step.judgeAfter(1);

        assertEquals(Verdict.FAIL, verdict.verdict(), verdict.reason());
        CheckVerdict errors = check(verdict, "error-rate");
        assertTrue(errors.reason().contains("canary 0.50% (5/1000) vs baseline 0.0% (0/9000)"), errors.reason());
        assertEquals(0.0, errors.numbers().get("baselineRate"));
        assertFalse(
                errors.numbers().containsKey("rateRatio"), "an infinite ratio is left out, not written as a number");
    }

    @Test
    void staysUndecidedOnTwoCanaryErrorsAgainstACleanBaseline() {
        // Two errors both in the canary: the likelihood ratio can be at most (1/0.109)^2 = 84 < 100.
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).counts(2, 1000, 0, 9000);

        CheckVerdict errors = check(step.judgeAfter(1), "error-rate");

        assertEquals(Verdict.INCONCLUSIVE, errors.verdict(), errors.reason());
        assertTrue(errors.numbers().get("regressionEvidence") < 84.3);
    }

    @Test
    void passesWhenNeitherSideHasAnyErrorAfterTheMinimumSample() {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).repeatCounts(5, 0, 200, 0, 1800);

        StepVerdict verdict = step.judgeAfter(5);

        assertEquals(Verdict.PASS, verdict.verdict(), verdict.reason());
        assertEquals(
                "no errors on either side: canary 0.0% (0/1000) vs baseline 0.0% (0/9000)",
                check(verdict, "error-rate").reason());
    }

    @Test
    void neverPassesACanaryWithoutTraffic() {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).repeatCounts(30, 0, 0, 20, 10000);

        StepVerdict verdict = step.judgeAfter(30);

        assertEquals(Verdict.INCONCLUSIVE, verdict.verdict());
        assertFalse(verdict.minimumSampleReached());
        CheckVerdict errors = check(verdict, "error-rate");
        assertEquals("no period with data on both sides yet (30 canary, 30 baseline request points)", errors.reason());
        assertEquals(0.0, errors.numbers().get("pairedPeriods"));
    }

    @Test
    void neverPassesATrickleThatNeverReachesTheMinimumSample() {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).repeatCounts(60, 0, 3, 3, 300);

        for (int periods = 1; periods <= 60; periods++) {
            StepVerdict verdict = step.judgeAfter(periods);
            assertNotEquals(Verdict.PASS, verdict.verdict(), "after " + periods + " periods: " + verdict.reason());
        }
        StepVerdict last = step.judgeAfter(60);
        assertTrue(
                last.reason().startsWith("minimum sample not reached: 180 of 500 canary requests compared"),
                last.reason());
    }

    @Test
    void skipsAPeriodMissingOnOneSideInsteadOfReadingItAsZeroErrors() {
        // Period 3 has no baseline error count. Read as zero it would put all 40 of that period's
        // errors in the canary and fail the step; skipped, the two sides stay equal.
        StepEvidenceBuilder step = new StepEvidenceBuilder().minRequests(1000);
        step.metric(errorRate(0.10))
                .counts(4.0, 1000.0, 36.0, 9000.0)
                .counts(4.0, 1000.0, 36.0, 9000.0)
                .period(40.0, 1000.0, null, 9000.0)
                .counts(4.0, 1000.0, 36.0, 9000.0);

        CheckVerdict errors = check(step.judgeAfter(4), "error-rate");

        assertNotEquals(Verdict.FAIL, errors.verdict(), errors.reason());
        assertEquals(3.0, errors.numbers().get("pairedPeriods"));
        assertEquals(1.0, errors.numbers().get("skippedPeriods"));
        assertEquals(3000.0, errors.numbers().get("canaryRequests"), "requests of a skipped period do not count");
        assertEquals(12.0, errors.numbers().get("canaryErrors"));
    }

    @Test
    void pairsPeriodsByTimestampWhenTheBaselineMissesOneEntirely() {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10))
                .counts(5.0, 1000.0, 45.0, 9000.0)
                .period(5.0, 1000.0, null, null)
                .counts(5.0, 1000.0, 45.0, 9000.0);

        CheckVerdict errors = check(step.judgeAfter(3), "error-rate");

        assertEquals(2.0, errors.numbers().get("pairedPeriods"));
        assertEquals(1.0, errors.numbers().get("rateRatio"), 1e-9);
    }

    @Test
    void ignoresAnIncidentThatHitsBothSidesAlike() {
        // Periods 4 to 6: both sides at 20 % errors. Per-period conditioning makes the shared rate cancel.
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10))
                .repeatCounts(3, 10, 1000, 90, 9000)
                .repeatCounts(3, 200, 1000, 1800, 9000)
                .repeatCounts(6, 10, 1000, 90, 9000);

        for (int periods = 1; periods <= 12; periods++) {
            assertNotEquals(Verdict.FAIL, step.judgeAfter(periods).verdict(), "after " + periods + " periods");
        }
        assertEquals(Verdict.PASS, step.judgeAfter(12).verdict());
    }

    @Test
    void rollsBackARegressionThatStartsPartWayThroughTheStep() {
        // Eight healthy periods, then the canary's rate doubles: the change-point mixture does not
        // have to pay back eight periods of good evidence first.
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).repeatCounts(8, 50, 5000, 450, 45000).repeatCounts(6, 100, 5000, 450, 45000);

        StepVerdict verdict = step.judgeAfter(11);

        assertEquals(Verdict.FAIL, verdict.verdict(), verdict.reason());
        assertTrue(
                check(verdict, "error-rate").reason().contains("since period 9 of the 11 compared"),
                check(verdict, "error-rate").reason());
    }

    @Test
    void rollsBackWhenARatioThatMustNotDropHalves() {
        // A success-style ratio (DECREASE_IS_BAD): the canary converts 5 % of requests, the baseline 10 %.
        // At a 10 % share and the boundary 0.9, the canary should hold 0.09 / 0.99 = 9.1 % of the
        // period's 950 conversions, about 86; it holds 50: a suspected regression after one period, and
        // plain after two.
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(StepEvidenceBuilder.ratio("conversion", 0.10, Direction.DECREASE_IS_BAD, true))
                .repeatCounts(3, 50, 1000, 900, 9000);

        assertTrue(check(step.judgeAfter(1), "conversion").reason().startsWith("suspected regression"));
        CheckVerdict conversion = check(step.judgeAfter(2), "conversion");

        assertEquals(Verdict.FAIL, conversion.verdict(), conversion.reason());
        assertEquals(0.9, conversion.numbers().get("toleranceBoundary"), 1e-12);
        assertTrue(conversion.reason().contains("evidence of a ratio below 0.900"), conversion.reason());
    }

    @Test
    void passesARatioThatMustNotDropWhenItRises() {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(StepEvidenceBuilder.ratio("conversion", 0.10, Direction.DECREASE_IS_BAD, true))
                .repeatCounts(10, 150, 1000, 900, 9000);

        StepVerdict verdict = step.judgeAfter(10);

        assertEquals(Verdict.PASS, verdict.verdict(), verdict.reason());
        assertTrue(check(verdict, "conversion").reason().startsWith("within tolerance"));
    }

    @Test
    void writesOnlyFiniteNumbersSoTheVerdictSerialisesAsJson() {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).counts(50, 1000, 0, 9000);

        CheckVerdict errors = check(step.judgeAfter(1), "error-rate");

        errors.numbers().forEach((name, value) -> assertTrue(Double.isFinite(value), name + " = " + value));
    }
}
