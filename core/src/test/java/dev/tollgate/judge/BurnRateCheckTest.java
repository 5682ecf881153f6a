package dev.tollgate.judge;

import static dev.tollgate.judge.StepEvidenceBuilder.check;
import static dev.tollgate.judge.StepEvidenceBuilder.errorRate;
import static dev.tollgate.judge.StepEvidenceBuilder.ratio;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.judge.BurnRateCheck.Tier;
import dev.tollgate.judge.StepEvidenceBuilder.MetricSeriesBuilder;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.SloSpec;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The SLO burn rate in the SRE workbook's multiwindow, multi-burn-rate manner, on 60-second periods
 * against a 99.9 % objective (a budget of 0.1 %: 2 % errors burn it at 20x). Every window and rate
 * below is worked out by hand from the workbook's tiers (14.4x over 1 h / 5 min, 6x over 6 h / 30 min,
 * 1x over 3 days / 6 h, for 30 days).
 */
class BurnRateCheckTest {

    private static final SloSpec MONTH = new SloSpec(0.999, 28, 14.4, "error-rate");
    /** A one-day SLO window shrinks the tiers to 2 min / 10 s, 12 min / 1 min and 2.4 h / 12 min: 2/1, 12/1 and 144/12 periods. */
    private static final SloSpec DAY = new SloSpec(0.999, 1, 14.4, "error-rate");

    /** The burn-rate check after {@code periods} periods of an error-rate metric fed by {@code counts}. */
    private static CheckVerdict burnAfter(SloSpec slo, int periods, UnaryOperator<MetricSeriesBuilder> counts) {
        StepEvidenceBuilder step = new StepEvidenceBuilder().slo(slo);
        counts.apply(step.metric(errorRate(10.0)));
        return check(step.judgeAfter(periods), BurnRateCheck.NAME);
    }

    private static void assertTiers(List<Tier> tiers, double[][] expected) {
        assertEquals(expected.length, tiers.size());
        for (int i = 0; i < expected.length; i++) {
            Tier tier = tiers.get(i);
            double[] rateLongShort = expected[i];
            assertAll(
                    tier.name(),
                    () -> assertEquals(rateLongShort[0], tier.burnRate(), 1e-9, "rate"),
                    () -> assertEquals((int) rateLongShort[1], tier.longWindowPeriods(), "long window"),
                    () -> assertEquals((int) rateLongShort[2], tier.shortWindowPeriods(), "short window"));
        }
    }

    @Test
    void theTiersAreTheWorkbooksScaledToTheSloWindowAndCountedInPeriods() {
        // 28 days: 1 h x 28/30 = 56 min (short 4 min 40 s), 5.6 h (28 min), 2.8 days (5.6 h).
        assertTiers(BurnRateCheck.tiers(MONTH, 60), new double[][] {{14.4, 56, 5}, {6, 336, 28}, {1, 4032, 336}});
        assertTiers(BurnRateCheck.tiers(MONTH, 5), new double[][] {{14.4, 672, 56}, {6, 4032, 336}, {1, 48384, 4032}});
        // 30 days: exactly the workbook's windows.
        SloSpec thirtyDays = new SloSpec(0.999, 30, 14.4, "error-rate");
        assertTiers(BurnRateCheck.tiers(thirtyDays, 60), new double[][] {{14.4, 60, 5}, {6, 360, 30}, {1, 4320, 360}});
        assertTiers(
                BurnRateCheck.tiers(thirtyDays, 5), new double[][] {{14.4, 720, 60}, {6, 4320, 360}, {1, 51840, 4320}});
        // The demo's one-day SLO on 5-second periods; a short window is never under one period.
        assertTiers(BurnRateCheck.tiers(DAY, 5), new double[][] {{14.4, 24, 2}, {6, 144, 12}, {1, 1728, 144}});
        assertTiers(BurnRateCheck.tiers(DAY, 60), new double[][] {{14.4, 2, 1}, {6, 12, 1}, {1, 144, 12}});
    }

    @Test
    void burnRateLimitIsTheFastestTiersRateAndScalesTheOthers() {
        SloSpec halved = new SloSpec(0.999, 28, 7.2, "error-rate");

        assertTiers(BurnRateCheck.tiers(halved, 60), new double[][] {{7.2, 56, 5}, {3, 336, 28}, {0.5, 4032, 336}});
    }

    @Test
    void theFastTierFailsASustainedBurnOverBothWindowsOnceTheEvidenceIsEnough() {
        // 2 % errors: 20x in the last 5 periods and over the whole step, which is shorter than the tier's 56.
        // After 6 periods 120 errors against 86.4 expected at 14.4x is evidence 58.8; after 7, 140 against 100.8 is
        // 146.
        StepEvidenceBuilder step = new StepEvidenceBuilder().slo(MONTH);
        step.metric(errorRate(10.0)).repeatCounts(7, 20, 1000, 180, 9000);

        CheckVerdict early = check(step.judgeAfter(6), BurnRateCheck.NAME);
        CheckVerdict burn = check(step.judgeAfter(7), BurnRateCheck.NAME);

        assertEquals(Verdict.INCONCLUSIVE, early.verdict(), early.reason());
        assertTrue(
                early.reason().endsWith("but on too few requests to tell (evidence 58.8, 100 needed)"), early.reason());
        assertEquals(Verdict.FAIL, burn.verdict(), burn.reason());
        assertEquals(
                "fast tier (14.4x): canary burns the 0.10% budget at 20.0x over the last 5 periods and 20.0x over the last 7"
                        + " (140/7000), both over the tier's rate; evidence 146 >= 100 needed",
                burn.reason());
        assertEquals(20.0, burn.numbers().get("fastShortWindowBurnRate"), 1e-9);
        assertEquals(20.0, burn.numbers().get("fastLongWindowBurnRate"), 1e-9);
        assertEquals(Verdict.FAIL, step.judgeAfter(7).verdict());
    }

    @Test
    void aBurnThatHasStoppedPassesBecauseTheShortWindowIsUnderTheRate() {
        // 2 % for 10 periods, then 0.5 %: the step burns at (200 + 25) / 15000 = 15x, the last 5 periods at 5x.
        CheckVerdict burn = burnAfter(
                MONTH, 15, rate -> rate.repeatCounts(10, 20, 1000, 180, 9000).repeatCounts(5, 5, 1000, 45, 9000));

        assertEquals(Verdict.PASS, burn.verdict(), burn.reason());
        assertEquals(5.0, burn.numbers().get("fastShortWindowBurnRate"), 1e-9);
        assertEquals(15.0, burn.numbers().get("fastLongWindowBurnRate"), 1e-9);
    }

    @Test
    void aBlipPassesBecauseTheLongWindowIsUnderTheRate() {
        // 0.5 % for 10 periods, then 2 % for the last 5: the step as a whole burns at 10x, under 14.4.
        CheckVerdict burn = burnAfter(
                MONTH, 15, rate -> rate.repeatCounts(10, 5, 1000, 45, 9000).repeatCounts(5, 20, 1000, 180, 9000));

        assertEquals(Verdict.PASS, burn.verdict(), burn.reason());
        assertEquals(
                "no tier burns the 0.10% budget over its rate in both windows: fast tier (14.4x) 20.0x over the last 5 periods"
                        + " and 10.0x over the last 15 (150/15000); medium tier (6.00x) waits for 336 periods; slow tier (1.00x) waits for"
                        + " 4032 periods",
                burn.reason());
    }

    @Test
    void aStepNoLongerThanTheShortWindowJudgesTheWholeStepAsBothWindows() {
        // Three periods of 2 % on 20000 requests each: 1200 errors against 864 expected at 14.4x.
        CheckVerdict burn = burnAfter(MONTH, 3, rate -> rate.repeatCounts(3, 400, 20_000, 180, 9000));

        assertEquals(Verdict.FAIL, burn.verdict(), burn.reason());
        assertTrue(
                burn.reason()
                        .startsWith("fast tier (14.4x): canary burns the 0.10% budget at 20.0x over the last 3 periods,"
                                + " both windows (1200/60000)"),
                burn.reason());
    }

    @Test
    void aSlowerTierWaitsUntilTheStepHasRunItsLongWindowThenFailsABurnUnderTheFastRate() {
        // One-day SLO: the medium tier is 6x over 12 periods (short window 1). 0.8 % errors burn at 8x: under the fast
        // tier's 14.4x, over the medium tier's 6x from its twelfth period (960 errors against 720 expected).
        StepEvidenceBuilder step = new StepEvidenceBuilder().slo(DAY);
        step.metric(errorRate(10.0)).repeatCounts(12, 80, 10_000, 720, 90_000);

        CheckVerdict waiting = check(step.judgeAfter(11), BurnRateCheck.NAME);
        CheckVerdict burn = check(step.judgeAfter(12), BurnRateCheck.NAME);

        assertEquals(Verdict.PASS, waiting.verdict(), waiting.reason());
        assertTrue(waiting.reason().contains("medium tier (6.00x) waits for 12 periods"), waiting.reason());
        assertEquals(Verdict.FAIL, burn.verdict(), burn.reason());
        assertTrue(
                burn.reason()
                        .startsWith("medium tier (6.00x): canary burns the 0.10% budget at 8.00x over the last period"
                                + " and 8.00x over the last 12 (960/120000)"),
                burn.reason());
    }

    @Test
    void theWindowsOfALongStepSlideSoABurnThatStartsLateIsNotDilutedByTheStart() {
        // 12 clean periods, then 12 at 8x: the whole step burns at 4x, the medium tier's last 12 periods at 8x.
        CheckVerdict burn = burnAfter(
                DAY,
                24,
                rate -> rate.repeatCounts(12, 0, 10_000, 720, 90_000).repeatCounts(12, 80, 10_000, 720, 90_000));

        assertEquals(Verdict.FAIL, burn.verdict(), burn.reason());
        assertEquals(8.0, burn.numbers().get("mediumLongWindowBurnRate"), 1e-9);
        assertEquals(12.0, burn.numbers().get("mediumLongWindowPeriods"), 1e-9);
    }

    @Test
    void doesNotFailOnABurnRateFromAHandfulOfRequests() {
        // One error in five requests is a burn rate of 200, but on five requests it proves nothing.
        CheckVerdict burn = burnAfter(MONTH, 1, rate -> rate.counts(1, 5, 3, 300));

        assertEquals(Verdict.INCONCLUSIVE, burn.verdict(), burn.reason());
        assertEquals(200.0, burn.numbers().get("fastLongWindowBurnRate"), 1e-9);
    }

    @Test
    void isInconclusiveWithoutCanaryRequests() {
        CheckVerdict burn = burnAfter(MONTH, 3, rate -> rate.repeatCounts(3, 0, 0, 9, 9000));

        assertEquals(Verdict.INCONCLUSIVE, burn.verdict());
        assertEquals("no canary requests counted yet in error-rate", burn.reason());
    }

    @Test
    void measuresTheBurnOnTheMetricTheSloNamesNotTheFirstRatio() {
        // A success rate first, then a healthy error rate, then server errors burning at 20x: the SLO names the last.
        StepEvidenceBuilder step = new StepEvidenceBuilder().slo(new SloSpec(0.999, 28, 14.4, "server-errors"));
        step.metric(ratio("success-rate", 0.01, Direction.DECREASE_IS_BAD, false))
                .repeatCounts(7, 980, 1000, 8820, 9000);
        step.metric(errorRate(10.0)).repeatCounts(7, 1, 1000, 9, 9000);
        step.metric(ratio("server-errors", 10.0, Direction.INCREASE_IS_BAD, false))
                .repeatCounts(7, 20, 1000, 180, 9000);

        CheckVerdict burn = check(step.judgeAfter(7), BurnRateCheck.NAME);

        assertEquals(Verdict.FAIL, burn.verdict(), burn.reason());
        assertEquals(140.0, burn.numbers().get("fastLongWindowErrors"), 1e-9);
    }
}
