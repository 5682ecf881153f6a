package dev.tollgate.judge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.judge.StepEvidenceBuilder.MetricSeriesBuilder;
import dev.tollgate.spec.MetricSpec.Direction;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The judge is re-run every period on the growing series; its guarantee is about the whole run:
 * on a canary with no regression, the chance it ever fails the step stays within the
 * false-positive rate. A run ends as a step would: at the first FAIL, at the first PASS once the
 * bake is over, or after 30 periods. Runs are simulated from seeded generators, so the test is
 * repeatable. Every kind of metric is tried exactly at its tolerance boundary, the hardest place
 * for a no-regression canary: a ratio whose increase is bad and one whose decrease is bad, a
 * percentile with its sample counts (whose noise bound is set in advance and learnt), and a
 * statistic without them, each alone in its step so its own false rollbacks are counted.
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

    @Test
    void rarelyRollsBackAConversionRatioRightAtItsBoundary() {
        // DECREASE_IS_BAD: the canary converts 0.9 times as often as the baseline, with 5 % noise of its own.
        Random random = new Random(11L);
        double falseRollbacks = rateOfFailures(() -> {
            StepEvidenceBuilder step = new StepEvidenceBuilder().falsePositiveRate(ALPHA);
            MetricSeriesBuilder conversions =
                    step.metric(StepEvidenceBuilder.ratio("conversion", 0.10, Direction.DECREASE_IS_BAD, true));
            double canaryPerPeriod = 200 + 4_800 * random.nextDouble();
            double rate = 0.02 + 0.1 * random.nextDouble();
            return period -> {
                double shared = Math.exp(0.3 * random.nextGaussian());
                double canaryRequests = poisson(random, canaryPerPeriod);
                double baselineRequests = poisson(random, 9 * canaryPerPeriod);
                conversions.counts(
                        poisson(random, canaryRequests * rate * shared * 0.9 * Math.exp(0.05 * random.nextGaussian())),
                        canaryRequests,
                        poisson(random, baselineRequests * rate * shared * Math.exp(0.05 * random.nextGaussian())),
                        baselineRequests);
                return step;
            };
        });

        assertTrue(falseRollbacks <= ALLOWED, "false rollbacks " + falseRollbacks + " > " + ALLOWED);
    }

    @Test
    void rarelyRollsBackAPercentileWithItsSampleCountsRightAtItsBoundary() {
        // p95 exactly 1.2 times the baseline's: sample p95s of log-normal latencies whose spread (0.25 to 0.9,
        // beyond the bound's 0.6 set in advance) and traffic (100 to 5,000 canary requests a period) vary from
        // run to run, each side with 1 % wobble of its own and a shared swing that cancels.
        Random random = new Random(5L);
        double z95 = 1.6448536269514722;
        double falseRollbacks = rateOfFailures(() -> {
            StepEvidenceBuilder step = new StepEvidenceBuilder().falsePositiveRate(ALPHA);
            MetricSeriesBuilder p95 = step.metric(
                    StepEvidenceBuilder.statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true));
            double spread = 0.25 + 0.65 * random.nextDouble();
            double canaryPerPeriod = 100 * Math.exp(Math.log(50) * random.nextDouble());
            return period -> {
                double shared = 80 * Math.exp(0.1 * random.nextGaussian());
                double canaryRequests = Math.max(20, poisson(random, canaryPerPeriod));
                double baselineRequests = poisson(random, 9 * canaryPerPeriod);
                p95.sampled(
                        1.2 * samplePercentile(random, shared, spread, canaryRequests, 0.95, z95),
                        samplePercentile(random, shared, spread, baselineRequests, 0.95, z95),
                        canaryRequests,
                        baselineRequests);
                return step;
            };
        });

        assertTrue(falseRollbacks <= ALLOWED, "false rollbacks " + falseRollbacks + " > " + ALLOWED);
    }

    @Test
    void rarelyRollsBackAP95AndP99ReadTogetherRightAtTheirBoundaries() {
        // Both percentiles of a log-normal latency (spread 0.25 to 0.9) exactly 1.2 times the baseline's, sampled
        // jointly: each reads the tail's spread from the pair, so this is where a spread read too narrow would show.
        Random random = new Random(23L);
        assertEachPercentileRarelyFails(random, () -> {
            double spread = 0.25 + 0.65 * random.nextDouble();
            return new Tails(
                    level -> Math.exp(spread * PercentileShape.inverseNormal(level)),
                    level -> 1.2 * Math.exp(spread * PercentileShape.inverseNormal(level)));
        });
    }

    @Test
    void rarelyRollsBackAP95AndP99ReadTogetherOnAPowerLawTail() {
        // A Pareto tail (index 1.5 to 4), heavier beyond the p99 than the log-normal through p95 and p99 says:
        // what the heavy-tail margin is for. Both percentiles exactly 1.2 times the baseline's.
        Random random = new Random(29L);
        assertEachPercentileRarelyFails(random, () -> {
            double index = 1.5 + 2.5 * random.nextDouble();
            return new Tails(level -> Math.pow(1 - level, -1 / index), level -> 1.2 * Math.pow(1 - level, -1 / index));
        });
    }

    @Test
    void rarelyRollsBackACanaryWhoseTailIsHeavierThanTheBaselines() {
        // The canary's p95 equals the baseline's and its p99 is exactly 1.2 times it: a heavier canary tail than the
        // baseline's, which the baseline's spread alone would understate for the canary's p99.
        Random random = new Random(31L);
        double z95 = PercentileShape.inverseNormal(0.95);
        double z99 = PercentileShape.inverseNormal(0.99);
        assertEachPercentileRarelyFails(random, () -> {
            double spread = 0.25 + 0.45 * random.nextDouble();
            double canarySpread = spread + Math.log(1.2) / (z99 - z95);
            return new Tails(
                    level -> Math.exp(spread * PercentileShape.inverseNormal(level)),
                    level -> Math.exp(
                            canarySpread * PercentileShape.inverseNormal(level) - (canarySpread - spread) * z95));
        });
    }

    /** A latency's quantile function on each side, in units of the baseline's median. */
    private record Tails(
            java.util.function.DoubleUnaryOperator baseline, java.util.function.DoubleUnaryOperator canary) {}

    /**
     * Runs of a step judging the p95 and the p99 of one latency (so each is the other's companion),
     * 100 to 5,000 canary requests a period and nine times that on the baseline, each side's sample
     * p95 and p99 drawn jointly from their asymptotic law, with 1 % wobble of each side's own and a
     * shared swing; each check must fail no more runs than the bound allows.
     */
    private static void assertEachPercentileRarelyFails(Random random, java.util.function.Supplier<Tails> tails) {
        int p95Failures = 0;
        int p99Failures = 0;
        for (int run = 0; run < RUNS; run++) {
            Tails shape = tails.get();
            double canaryPerPeriod = 100 * Math.exp(Math.log(50) * random.nextDouble());
            StepEvidenceBuilder step = new StepEvidenceBuilder().falsePositiveRate(ALPHA);
            MetricSeriesBuilder p95 = step.metric(
                    StepEvidenceBuilder.statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true));
            MetricSeriesBuilder p99 = step.metric(
                    StepEvidenceBuilder.statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true));
            boolean p95Failed = false;
            boolean p99Failed = false;
            for (int period = 1; period <= PERIODS; period++) {
                double shared = 80 * Math.exp(0.1 * random.nextGaussian());
                double canaryRequests = Math.max(20, poisson(random, canaryPerPeriod));
                double baselineRequests = poisson(random, 9 * canaryPerPeriod);
                double[] canary = samplePercentiles(random, shape.canary(), canaryRequests, shared);
                double[] baseline = samplePercentiles(random, shape.baseline(), baselineRequests, shared);
                p95.sampled(canary[0], baseline[0], canaryRequests, baselineRequests);
                p99.sampled(canary[1], baseline[1], canaryRequests, baselineRequests);
                StepVerdict verdict = step.judgeAfter(period);
                p95Failed |= StepEvidenceBuilder.check(verdict, "p95-latency").verdict() == Verdict.FAIL;
                p99Failed |= StepEvidenceBuilder.check(verdict, "p99-latency").verdict() == Verdict.FAIL;
                if (verdict.verdict() != Verdict.INCONCLUSIVE && period >= BAKE_PERIODS) {
                    break;
                }
            }
            p95Failures += p95Failed ? 1 : 0;
            p99Failures += p99Failed ? 1 : 0;
        }
        assertTrue(p95Failures / (double) RUNS <= ALLOWED, "p95 false rollbacks " + p95Failures + " of " + RUNS);
        assertTrue(p99Failures / (double) RUNS <= ALLOWED, "p99 false rollbacks " + p99Failures + " of " + RUNS);
    }

    /**
     * A side's sample p95 and p99 of n values: the quantile function at levels drawn from the joint
     * asymptotic law of two sample quantiles' levels (variances p(1 − p)/n, covariance
     * 0.95 · 0.01/n), times the side's 1 % wobble and the shared swing.
     */
    private static double[] samplePercentiles(
            Random random, java.util.function.DoubleUnaryOperator quantile, double n, double shared) {
        double sd95 = Math.sqrt(0.95 * 0.05 / n);
        double covariance = 0.95 * 0.01 / n;
        double along = covariance / sd95;
        double across = Math.sqrt(0.99 * 0.01 / n - along * along);
        double first = random.nextGaussian();
        double level95 = clampLevel(0.95 + sd95 * first, n);
        double level99 = clampLevel(0.99 + along * first + across * random.nextGaussian(), n);
        double wobble = shared * Math.exp(0.01 * random.nextGaussian());
        return new double[] {wobble * quantile.applyAsDouble(level95), wobble * quantile.applyAsDouble(level99)};
    }

    /** A sample quantile of n values lies between the smallest and the largest: levels within half a value of 0 and 1. */
    private static double clampLevel(double level, double n) {
        return Math.min(1 - 0.5 / n, Math.max(0.5 / n, level));
    }

    @Test
    void rarelyRollsBackAStatisticWithoutSampleCountsRightAtItsBoundary() {
        // A throughput whose decrease is bad, exactly 0.9 times the baseline's, each side with 8 % noise of its own.
        Random random = new Random(17L);
        double falseRollbacks = rateOfFailures(() -> {
            StepEvidenceBuilder step = new StepEvidenceBuilder().falsePositiveRate(ALPHA);
            MetricSeriesBuilder throughput = step.metric(
                    StepEvidenceBuilder.statistic("throughput", "Sum", 0.10, Direction.DECREASE_IS_BAD, true));
            return period -> {
                double shared = 1000 * Math.exp(0.2 * random.nextGaussian());
                throughput.values(
                        0.9 * shared * Math.exp(0.08 * random.nextGaussian()),
                        shared * Math.exp(0.08 * random.nextGaussian()));
                return step;
            };
        });

        assertTrue(falseRollbacks <= ALLOWED, "false rollbacks " + falseRollbacks + " > " + ALLOWED);
    }

    /** One simulated step: each call adds a period and returns the step to judge. */
    private interface SimulatedStep {
        StepEvidenceBuilder next(int period);
    }

    /** The share of RUNS simulated steps that the judge fails, each run ending as a step would. */
    private static double rateOfFailures(java.util.function.Supplier<SimulatedStep> runs) {
        int failures = 0;
        for (int run = 0; run < RUNS; run++) {
            SimulatedStep simulated = runs.get();
            for (int period = 1; period <= PERIODS; period++) {
                Verdict verdict = simulated.next(period).judgeAfter(period).verdict();
                if (verdict == Verdict.FAIL) {
                    failures++;
                    break;
                }
                if (verdict == Verdict.PASS && period >= BAKE_PERIODS) {
                    break;
                }
            }
        }
        return failures / (double) RUNS;
    }

    /** A sample quantile of n log-normal values, from its asymptotic law: median · exp(spread (z + noise)). */
    private static double samplePercentile(
            Random random, double median, double spread, double n, double level, double z) {
        double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        double noise = random.nextGaussian() * Math.sqrt(level * (1 - level) / n) / density;
        return median * Math.exp(0.01 * random.nextGaussian()) * Math.exp(spread * (z + noise));
    }

    private static double falseRollbackRate(
            Random random, double errorRatio, double latencyRatio, double sideNoise, double canaryRequestsPerPeriod) {
        int rollbacks = 0;
        for (int run = 0; run < RUNS; run++) {
            if (firstFailure(random, errorRatio, latencyRatio, sideNoise, canaryRequestsPerPeriod, PERIODS) > 0) {
                rollbacks++;
            }
        }
        return rollbacks / (double) RUNS;
    }

    /** The first period at which the judge fails the step, or -1 if it never does within {@code periods}. */
    private static int firstFailure(
            Random random,
            double errorRatio,
            double latencyRatio,
            double sideNoise,
            double canaryRequestsPerPeriod,
            int periods) {
        StepEvidenceBuilder step = new StepEvidenceBuilder().falsePositiveRate(ALPHA);
        StepEvidenceBuilder.MetricSeriesBuilder errors = step.metric(StepEvidenceBuilder.errorRate(0.10));
        StepEvidenceBuilder.MetricSeriesBuilder latency =
                step.metric(StepEvidenceBuilder.statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true));
        double baseRate = 0.002 + 0.02 * random.nextDouble();
        for (int period = 1; period <= periods; period++) {
            double shared = Math.exp(0.4 * random.nextGaussian());
            double canaryRequests = poisson(random, canaryRequestsPerPeriod);
            double baselineRequests = poisson(random, 9 * canaryRequestsPerPeriod);
            double canaryRate = baseRate * shared * errorRatio * Math.exp(sideNoise * random.nextGaussian());
            double baselineRate = baseRate * shared * Math.exp(sideNoise * random.nextGaussian());
            errors.counts(
                    poisson(random, canaryRequests * canaryRate),
                    canaryRequests,
                    poisson(random, baselineRequests * baselineRate),
                    baselineRequests);
            double sharedLatency = 120 * Math.exp(0.1 * random.nextGaussian());
            latency.values(
                    sharedLatency * latencyRatio * Math.exp(0.04 * random.nextGaussian()),
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
