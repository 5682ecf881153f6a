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

    private static final Tolerance LATENCY_TOLERANCE = new Tolerance(0.1, 0.2, 0.2);

    /** A period of 9,000 baseline requests (p95 {@code baselineP95}, p99 150) and 1,000 canary requests. */
    private static Period latencyPeriod(Double baselineP95, Double canaryP95, Double canaryP99) {
        return new Period(new Side(9_000.0, 10.0, baselineP95, 150.0), new Side(1_000.0, 1.0, canaryP95, canaryP99));
    }

    private static void assertCovarianceAtThousandAndNineThousand(
            Effect effect, double p95Variance, double covariance, double p99Variance) {
        double[][] computed = OracleSprt.ratioCovariance(1_000, 9_000, effect);
        assertEquals(p95Variance, computed[0][0], 1e-8);
        assertEquals(covariance, computed[0][1], 1e-8);
        assertEquals(covariance, computed[1][0], 1e-8);
        assertEquals(p99Variance, computed[1][1], 1e-8);
    }

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
        assertEquals(
                OptionalInt.of(1),
                OracleSprt.detectionPeriod(
                        scenario(Truth.REGRESSION, new Effect(3, 1, 1, 0, 0.5, 0.01), List.of(period, period))));
    }

    @Test
    void aDoubledLatencyIsWeighedWithTheSamplerJointNoiseOfBothPercentiles() {
        // Spread 0.5, 1,000 canary and 9,000 baseline requests, (1/1000 + 1/9000) = 0.00111111. Per unit of 1/n:
        // p95 0.25 · 0.0475 / φ(1.645)² = 1.11638, p99 0.25 · 0.0099 / φ(2.326)² = 3.48429, their covariance
        // 0.25 · 0.95 · 0.01 / (φ(1.645) φ(2.326)) = 0.86400; each side's 1 % median wobble adds 0.0001 to all
        // three, twice. Σ = [[0.00144043, 0.00116002], [0.00116002, 0.00407140]]. Observed and true ratios 2,
        // boundary 1.2: d = ln(2/1.2) = 0.51083 on both, log LR = d² (Σ11 − 2Σ01 + Σ00) / (2 det Σ) = 92.15, where
        // treating the two as independent would have given 122.6.
        Period period = latencyPeriod(100.0, 200.0, 300.0);
        Effect doubled = new Effect(1, 2, 2, 0, 0.5, 0.01);

        assertCovarianceAtThousandAndNineThousand(doubled, 0.00144043, 0.00116002, 0.00407140);
        assertEquals(92.15, OracleSprt.latency(period, LATENCY_TOLERANCE, doubled), 0.01);
        assertEquals(
                0.0,
                OracleSprt.latency(period, LATENCY_TOLERANCE, new Effect(3, 1, 1, 0, 0.5, 0.01)),
                "latency the effect leaves inside its boundaries adds nothing");
    }

    @Test
    void aHeavierTailMakesTheCanaryP99NoisierAndTheP95HelpsThroughItsCorrelation() {
        // p95 1.1x and p99 1.5x on spread 0.4: above its p90 the canary's log latency climbs at
        // 0.4 + ln(1.5/1.1)/(2.326 − 1.645) = 0.85511 per unit of z, so its p99's variance per unit of 1/n is
        // 0.85511² · 0.0099 / φ(2.326)² = 10.191 where the baseline's is 0.4² · 13.937 = 2.2300. With 1,000 and 9,000
        // requests and the wobble, Σ = [[0.00354467, 0.00278857], [0.00278857, 0.01063873]]. Only the p99 is beyond its
        // boundary 1.2, so d = (0, ln 1.25) and log LR = d₁² Σ00 / (2 det Σ) = 2.948: the p95 sharpens it by its
        // correlation (the p99 alone gives 2.340), still two periods, where the baseline's noise on the canary gave
        // 9.3.
        Effect heavierTail = new Effect(1, 1.1, 1.5, 0, 0.4, 0.01);

        assertCovarianceAtThousandAndNineThousand(heavierTail, 0.00354467, 0.00278857, 0.01063873);
        assertEquals(
                2.948, OracleSprt.latency(latencyPeriod(100.0, 110.0, 225.0), LATENCY_TOLERANCE, heavierTail), 1e-3);
        assertEquals(
                2.340,
                OracleSprt.latency(latencyPeriod(null, 110.0, 225.0), LATENCY_TOLERANCE, heavierTail),
                1e-3,
                "a percentile missing on one side leaves the other's marginal");
    }

    @Test
    void aLateOnsetIsCountedFromTheStepStartAndNothingIsDetectedWithoutARegression() {
        Period quiet = new Period(new Side(19_000.0, 190.0, 100.0, 150.0), new Side(1_000.0, 10.0, 100.0, 150.0));
        Period tripled = new Period(new Side(19_000.0, 190.0, 100.0, 150.0), new Side(1_000.0, 30.0, 100.0, 150.0));
        List<Period> periods = List.of(quiet, quiet, quiet, tripled, tripled);

        assertEquals(
                OptionalInt.of(4),
                OracleSprt.detectionPeriod(scenario(Truth.REGRESSION, new Effect(3, 1, 1, 3, 0.5, 0.01), periods)));
        assertTrue(OracleSprt.detectionPeriod(
                        scenario(Truth.NO_REGRESSION, new Effect(1, 1, 1, 0, 0.5, 0.01), Collections.nCopies(5, quiet)))
                .isEmpty());
        assertTrue(
                OracleSprt.detectionPeriod(scenario(Truth.REGRESSION, null, periods))
                        .isEmpty(),
                "no recorded effect, no oracle");
    }
}
