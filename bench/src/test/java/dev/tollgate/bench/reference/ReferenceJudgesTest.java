package dev.tollgate.bench.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Period;
import dev.tollgate.bench.scenario.Scenario.Side;
import dev.tollgate.bench.scenario.Scenario.Tolerance;
import dev.tollgate.bench.scenario.Scenario.Truth;
import dev.tollgate.judge.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceJudgesTest {

    private static Scenario scenario(List<Period> periods) {
        return new Scenario("s", Truth.REGRESSION, 60, 0.1, 10, 30, 500, 0.01, new Tolerance(0.1, 0.2, 0.2), periods);
    }

    private static Period period(double canaryRequests, double canaryErrors, double canaryP95, double baselineErrors) {
        return new Period(
                new Side(9000.0, baselineErrors, 120.0, 150.0),
                new Side(canaryRequests, canaryErrors, canaryP95, 150.0));
    }

    @Test
    void thresholdCountsACanaryUnderOneHundredRequestsAsHealthy() {
        Scenario scenario = scenario(List.of(period(50, 25, 500, 9)));

        assertEquals(Verdict.PASS, new ThresholdJudge().judge(scenario, 1));
    }

    @Test
    void thresholdFailsOnErrorRateOrP95SinceTheStepBegan() {
        Scenario errors = scenario(List.of(period(1000, 2, 120, 9)));
        Scenario latency = scenario(List.of(period(1000, 1, 150, 9)));

        assertEquals(Verdict.FAIL, new ThresholdJudge().judge(errors, 1), "0.2 % > 0.1 % x 1.1");
        assertEquals(Verdict.FAIL, new ThresholdJudge().judge(latency, 1), "150 ms > 120 ms x 1.2");
    }

    @Test
    void staticAlarmFailsOnThreeBreachingPeriodsInARow() {
        List<Period> periods = new ArrayList<>(List.of(
                period(1000, 2, 120, 9),
                period(1000, 2, 120, 9),
                period(1000, 1, 120, 9),
                period(1000, 2, 120, 9),
                period(1000, 2, 120, 9),
                period(1000, 2, 120, 9)));
        Scenario scenario = scenario(periods);

        assertEquals(Verdict.PASS, new StaticAlarmJudge().judge(scenario, 5));
        assertEquals(Verdict.FAIL, new StaticAlarmJudge().judge(scenario, 6));
    }

    @Test
    void mannWhitneyNullDistributionMatchesTheExactCount() {
        // With three values a side, U = 0 in 1 of C(6,3) = 20 orderings; U <= 1 in 2.
        double lower = MannWhitneyJudge.lowerConfidenceBound(new double[] {4, 5, 6}, new double[] {1, 2, 3}, 0.10);

        // At a two-sided 0.10, c = 0 (P(U <= 0) = 0.05): the bound is the smallest of the nine differences.
        assertEquals(1.0, lower);
        assertEquals(
                Double.NEGATIVE_INFINITY,
                MannWhitneyJudge.lowerConfidenceBound(new double[] {4, 5, 6}, new double[] {1, 2, 3}, 0.02));
    }

    @Test
    void mannWhitneyNeedsBothSignificanceAndTheEffectSize() {
        double[] baseline = {100, 101, 102, 103, 104, 105};
        double[] slightlyHigher = {106, 107, 108, 109, 110, 111};
        double[] muchHigher = {200, 201, 202, 203, 204, 205};

        assertFalse(
                MannWhitneyJudge.high(slightlyHigher, baseline, 0.2),
                "significant but within the effect-size tolerance");
        assertTrue(MannWhitneyJudge.high(muchHigher, baseline, 0.2));
    }
}
