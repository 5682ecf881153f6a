package dev.tollgate.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyShapeTest {

    @Test
    void theCanaryPercentilesAreTheFactorsTimesTheBaselines() {
        LatencyShape baseline = LatencyShape.logNormal(0.4);
        LatencyShape canary = LatencyShape.scaled(0.4, 1.1, 1.5);

        assertEquals(Math.log(1.1), canary.logLatency(LatencyShape.Z95) - baseline.logLatency(LatencyShape.Z95), 1e-12);
        assertEquals(Math.log(1.5), canary.logLatency(LatencyShape.Z99) - baseline.logLatency(LatencyShape.Z99), 1e-12);
        // ln(1.5/1.1) / (2.3263 − 1.6449) = 0.45511 more per unit of z above the p90; 0.45511 · 0.36330 below p95's
        // shift.
        assertEquals(0.4 + 0.45511, canary.slope(LatencyShape.Z99), 1e-5);
        assertEquals(0.4, canary.slope(0), 1e-12);
        assertEquals(Math.log(1.1) - 0.45511 * 0.36330, canary.logLatency(0), 1e-5);
    }

    @Test
    void aCommonFactorIsAPlainShift() {
        LatencyShape doubled = LatencyShape.scaled(0.5, 2, 2);

        assertEquals(0.0, doubled.stretch(), 1e-12);
        assertEquals(Math.log(2), doubled.shift(), 1e-12);
    }

    @Test
    void aShapeThatDoesNotGrowWithItsQuantileIsRefused() {
        // p99 half the p95 on spread 0.5: the tail would fall at 0.5 − 1.017 per unit of z.
        assertThrows(IllegalArgumentException.class, () -> LatencyShape.scaled(0.5, 2, 1));
    }

    @Test
    void aStretchedTailsSampleP99IsAsNoisyAsItsSlopeSaysAndCorrelatedWithItsP95() {
        // The sampler for many requests, checked against sample quantiles drawn one by one at the same n: the variance
        // of ln p99 must be slope(z99)² · 0.0099 / (n φ(z99)²) (0.85511² · 13.937 / 400 = 0.025478), not the
        // baseline's 0.4² · 13.937 / 400 = 0.0055750, and the correlation of ln p95 and ln p99 near 0.44.
        LatencyShape canary = LatencyShape.scaled(0.4, 1.1, 1.5);
        Random random = new Random(7);
        int runs = 4_000;
        double[][] exact = new double[runs][];
        double[][] asymptotic = new double[runs][];
        for (int i = 0; i < runs; i++) {
            exact[i] = ScenarioGenerator.percentiles(random, 400, 1.0, canary);
            asymptotic[i] = ScenarioGenerator.asymptoticPercentiles(random, 400, 1.0, canary);
        }
        double expected = 0.85511 * 0.85511 * 0.99 * 0.01 / (400 * 0.026652 * 0.026652);
        assertEquals(expected, logVariance(exact, 1), 0.12 * expected, "one by one");
        assertEquals(expected, logVariance(asymptotic, 1), 0.08 * expected, "asymptotic");
        assertTrue(
                Math.abs(logCorrelation(exact) - logCorrelation(asymptotic)) < 0.1,
                logCorrelation(exact) + " against " + logCorrelation(asymptotic));
    }

    private static double logVariance(double[][] draws, int column) {
        double sum = 0;
        double sumOfSquares = 0;
        for (double[] draw : draws) {
            double value = Math.log(draw[column]);
            sum += value;
            sumOfSquares += value * value;
        }
        double mean = sum / draws.length;
        return sumOfSquares / draws.length - mean * mean;
    }

    private static double logCorrelation(double[][] draws) {
        double s0 = 0;
        double s1 = 0;
        double s01 = 0;
        for (double[] draw : draws) {
            s0 += Math.log(draw[0]);
            s1 += Math.log(draw[1]);
            s01 += Math.log(draw[0]) * Math.log(draw[1]);
        }
        int n = draws.length;
        double covariance = s01 / n - (s0 / n) * (s1 / n);
        return covariance / Math.sqrt(logVariance(draws, 0) * logVariance(draws, 1));
    }
}
