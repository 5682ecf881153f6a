package dev.tollgate.judge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.spec.MetricSpec.Direction;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The judge is re-run every period on the growing series; its guarantee is about the whole run:
 * on a canary with no regression, the chance it ever fails the step stays within the
 * false-positive rate. A run ends as a step would: at the first FAIL, at the first PASS once the
 * bake is over, or after 30 periods. Runs are simulated from seeded generators, so the test is
 * repeatable.
 */
class FalseRollbackPropertyTest {

    private static final int RUNS = 400;
    /** As in a step: a PASS from this period on promotes the canary and ends the looks. */
    private static final int BAKE_PERIODS = 10;
    private static final int PERIODS = 30;
    private static final double ALPHA = 0.01;

    /** alpha plus three standard errors of a share estimated from RUNS runs. */
    private static final double ALLOWED = ALPHA + 3 * Math.sqrt(ALPHA * (1 - ALPHA) / RUNS);

    @Test
    void rarelyRollsBackACanaryRightAtTheToleranceBoundary() {
        // The hardest no-regression case: error rate exactly 1.1x and p95 exactly 1.2x the baseline's,
        // with period-to-period swings shared by both sides and 5 % noise of each side's own.
        double falseRollbacks = falseRollbackRate(new Random(20261124L), 1.1, 1.2, 0.05, 5_000);

        assertTrue(falseRollbacks <= ALLOWED, "false rollbacks " + falseRollbacks + " > " + ALLOWED);
    }

    @Test
    void rarelyRollsBackAnIdenticalCanaryOnLowTraffic() {
        double falseRollbacks = falseRollbackRate(new Random(42L), 1.0, 1.0, 0.0, 300);

        assertTrue(falseRollbacks <= ALLOWED, "false rollbacks " + falseRollbacks + " > " + ALLOWED);
    }

    @Test
    void catchesATripledErrorRateAlmostAlwaysWithinTheBake() {
        Random random = new Random(7L);
        int caught = 0;
        for (int run = 0; run < 100; run++) {
            if (firstFailure(random, 3.0, 1.0, 0.05, 5_000, 10) > 0) {
                caught++;
            }
        }
        assertTrue(caught >= 95, caught + " of 100 caught");
    }

    private static double falseRollbackRate(Random random, double errorRatio, double latencyRatio, double sideNoise,
                                            double canaryRequestsPerPeriod) {
        int rollbacks = 0;
        for (int run = 0; run < RUNS; run++) {
            if (firstFailure(random, errorRatio, latencyRatio, sideNoise, canaryRequestsPerPeriod, PERIODS) > 0) {
                rollbacks++;
            }
        }
        return rollbacks / (double) RUNS;
    }

    /** The first period at which the judge fails the step, or -1 if it never does within {@code periods}. */
    private static int firstFailure(Random random, double errorRatio, double latencyRatio, double sideNoise,
                                    double canaryRequestsPerPeriod, int periods) {
        StepEvidenceBuilder step = new StepEvidenceBuilder().falsePositiveRate(ALPHA);
        StepEvidenceBuilder.MetricSeriesBuilder errors = step.metric(StepEvidenceBuilder.errorRate(0.10));
        StepEvidenceBuilder.MetricSeriesBuilder latency = step.metric(
                StepEvidenceBuilder.statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true));
        double baseRate = 0.002 + 0.02 * random.nextDouble();
        for (int period = 1; period <= periods; period++) {
            double shared = Math.exp(0.4 * random.nextGaussian());
            double canaryRequests = poisson(random, canaryRequestsPerPeriod);
            double baselineRequests = poisson(random, 9 * canaryRequestsPerPeriod);
            double canaryRate = baseRate * shared * errorRatio * Math.exp(sideNoise * random.nextGaussian());
            double baselineRate = baseRate * shared * Math.exp(sideNoise * random.nextGaussian());
            errors.counts(poisson(random, canaryRequests * canaryRate), canaryRequests,
                    poisson(random, baselineRequests * baselineRate), baselineRequests);
            double sharedLatency = 120 * Math.exp(0.1 * random.nextGaussian());
            latency.values(sharedLatency * latencyRatio * Math.exp(0.04 * random.nextGaussian()),
                    sharedLatency * Math.exp(0.02 * random.nextGaussian()));
            Verdict verdict = step.judgeAfter(period).verdict();
            if (verdict == Verdict.FAIL) {
                return period;
            }
            if (verdict == Verdict.PASS && period >= BAKE_PERIODS) {
                return -1;
            }
        }
        return -1;
    }

    private static double poisson(Random random, double mean) {
        if (mean > 50) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }
}
