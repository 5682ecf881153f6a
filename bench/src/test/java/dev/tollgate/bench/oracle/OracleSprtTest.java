package dev.tollgate.bench.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Effect;
import dev.tollgate.bench.scenario.Scenario.Period;
import dev.tollgate.bench.scenario.Scenario.Side;
import dev.tollgate.bench.scenario.Scenario.Tolerance;
import dev.tollgate.bench.scenario.Scenario.Truth;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OracleSprtTest {

    private static Scenario scenario(Truth truth, Effect effect, List<Period> periods) {
        return new Scenario("s", truth, 60, 0.05, 10, 30, 500, 0.01, new Tolerance(0.1, 0.2, 0.2), periods, effect);
    }

    @Test
    void aTripledErrorRateIsDetectedAtTheFirstPeriodItsLikelihoodRatioCrosses() {
        // 5 % of traffic, 30 of the period's 220 errors on the canary. The canary's share of errors at the true
        // ratio 3 against the boundary 1.1: log LR = 30 ln(3/1.1) − 220 (ln(1 + 0.05·2) − ln(1 + 0.05·0.1)) = 10.23,
        // beyond ln 100 = 4.61.
        Period period = new Period(new Side(19_000.0, 190.0, 100.0, 150.0), new Side(1_000.0, 30.0, 100.0, 150.0));

        assertEquals(10.228, OracleSprt.errors(period, 1.1, 3.0), 1e-3);
        assertEquals(OptionalInt.of(1), OracleSprt.detectionPeriod(scenario(Truth.REGRESSION, new Effect(3, 1, 1, 0, 0.5, 0.01),
                List.of(period, period))));
    }

    @Test
    void aDoubledP95IsWeighedWithTheSamplerNoise() {
        // Spread 0.5, 1,000 canary and 9,000 baseline requests: the log p95 ratio's variance is
        // 0.25 · 0.0475 / φ(1.645)² · (1/1000 + 1/9000) + 2 · 0.01² = 0.0014404, so an observed doubling
        // against the boundary 1.2 weighs ((ln 2 − ln 1.2)² − 0) / (2 · 0.0014404) = 90.58.
        Period period = new Period(new Side(9_000.0, 10.0, 100.0, 150.0), new Side(1_000.0, 1.0, 200.0, 150.0));
        Effect doubledP95 = new Effect(1, 2, 1, 0, 0.5, 0.01);

        assertEquals(90.58, OracleSprt.percentile(period, Side::p95, 0.95, 1.6448536269514722, 1.2, 2.0, doubledP95), 0.01);
        assertEquals(0.0, OracleSprt.percentile(period, Side::p99, 0.99, 2.3263478740408408, 1.2, 1.0, doubledP95),
                "a percentile the effect leaves inside its boundary adds nothing");
    }

    @Test
    void aLateOnsetIsCountedFromTheStepStartAndNothingIsDetectedWithoutARegression() {
        Period quiet = new Period(new Side(19_000.0, 190.0, 100.0, 150.0), new Side(1_000.0, 10.0, 100.0, 150.0));
        Period tripled = new Period(new Side(19_000.0, 190.0, 100.0, 150.0), new Side(1_000.0, 30.0, 100.0, 150.0));
        List<Period> periods = List.of(quiet, quiet, quiet, tripled, tripled);

        assertEquals(OptionalInt.of(4), OracleSprt.detectionPeriod(scenario(Truth.REGRESSION, new Effect(3, 1, 1, 3, 0.5, 0.01), periods)));
        assertTrue(OracleSprt.detectionPeriod(scenario(Truth.NO_REGRESSION, new Effect(1, 1, 1, 0, 0.5, 0.01),
                Collections.nCopies(5, quiet))).isEmpty());
        assertTrue(OracleSprt.detectionPeriod(scenario(Truth.REGRESSION, null, periods)).isEmpty(), "no recorded effect, no oracle");
    }
}
