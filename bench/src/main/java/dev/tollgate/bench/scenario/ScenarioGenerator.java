package dev.tollgate.bench.scenario;

import dev.tollgate.bench.scenario.Scenario.Period;
import dev.tollgate.bench.scenario.Scenario.Side;
import dev.tollgate.bench.scenario.Scenario.Tolerance;
import dev.tollgate.bench.scenario.Scenario.Truth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generates canary steps with known truth, family by family, from a seed. Each period draws a
 * side's requests (Poisson around its share of the traffic), its errors (binomial at the side's
 * rate) and its p95/p99 (sample quantiles of its latency distribution, {@link LatencyShape}: a
 * log-normal for the baseline, shifted and, where its p99 moves more than its p95, stretched above
 * the p90 for the canary; so a side with few requests has noisy, low-biased percentiles, and a
 * heavier-tailed canary a noisier p99, as CloudWatch's would). What moves both sides alike (traffic
 * shape, the day's error-rate wobble, an incident) is drawn once per period and applied to both;
 * what differs is the canary's own ratio and per-side noise.
 *
 * <p>The truth is REGRESSION when the family makes the canary worse than a tolerance, NO_REGRESSION
 * otherwise, and INSUFFICIENT_TRAFFIC whenever the canary's requests over the bake budget end up
 * under minRequests, whatever the family.
 */
public final class ScenarioGenerator {

    /** A family of scenarios and how often it appears in a generated set. */
    enum Family {
        GOOD("good", 14),
        WITHIN_TOLERANCE("within-tolerance", 9),
        JUST_INSIDE("just-inside", 9),
        NOISY("noisy", 8),
        DIURNAL("diurnal", 7),
        SHARED_INCIDENT("shared-incident", 7),
        LOW_TRAFFIC("low-traffic", 6),
        TRICKLE("trickle", 6),
        ERRORS_X1_5("errors-x1.5", 6),
        ERRORS_X2("errors-x2", 7),
        ERRORS_X3("errors-x3", 7),
        ERRORS_X5("errors-x5", 5),
        LATENCY_X1_3("latency-x1.3", 6),
        LATENCY_X1_5("latency-x1.5", 6),
        LATENCY_X2("latency-x2", 6),
        TAIL_LATENCY_X1_5("tail-latency-x1.5", 6);

        final String prefix;
        final int weight;

        Family(String prefix, int weight) {
            this.prefix = prefix;
            this.weight = weight;
        }
    }

    /** The correlation of the sample p95 and p99 of one sample: √(p95 (1 − p99) / (p99 (1 − p95))), whatever the distribution. */
    static final double P95_P99_CORRELATION = Math.sqrt(0.95 * 0.01 / (0.99 * 0.05));
    /** Each side's own period-to-period wobble of its median latency, in log units. */
    static final double SIDE_LATENCY_NOISE = 0.01;

    private ScenarioGenerator() {}

    public static List<Scenario> generate(long seed, int count) {
        List<Family> deck = new ArrayList<>();
        for (Family family : Family.values()) {
            for (int i = 0; i < family.weight; i++) {
                deck.add(family);
            }
        }
        List<Scenario> scenarios = new ArrayList<>();
        int[] numbers = new int[Family.values().length];
        for (int i = 0; i < count; i++) {
            Family family = deck.get(i % deck.size());
            // One generator per scenario: a scenario's data does not depend on how many came before it. The seed
            // is scrambled: java.util.Random's first draws from nearby seeds are nearly equal, which made every
            // scenario of a family draw the same bake and onset.
            Random random = new Random(scrambled(seed * 1_000_003L + i));
            scenarios.add(generate(family, family.prefix + "-" + numbers[family.ordinal()]++, random));
        }
        return scenarios;
    }

    /** The 64-bit finaliser of MurmurHash3: nearby inputs give unrelated outputs. */
    static long scrambled(long value) {
        long mixed = value;
        mixed ^= mixed >>> 33;
        mixed *= 0xff51afd7ed558ccdL;
        mixed ^= mixed >>> 33;
        mixed *= 0xc4ceb93fe53e2b1bL;
        mixed ^= mixed >>> 33;
        return mixed;
    }

    static Scenario generate(Family family, String name, Random random) {
        Shape shape = Shape.draw(family, random);
        List<Period> periods = new ArrayList<>();
        double canaryRequestsSeen = 0;
        for (int k = 0; k < shape.maxPeriods; k++) {
            Period period = shape.period(k, random);
            periods.add(period);
            if (period.canary().requests() != null) {
                canaryRequestsSeen += period.canary().requests();
            }
        }
        Truth truth = canaryRequestsSeen < shape.minRequests
                ? Truth.INSUFFICIENT_TRAFFIC
                : shape.regression ? Truth.REGRESSION : Truth.NO_REGRESSION;
        return new Scenario(
                name,
                truth,
                60,
                shape.canaryWeight,
                shape.bakePeriods,
                shape.maxPeriods,
                shape.minRequests,
                0.01,
                new Tolerance(shape.errorTolerance, shape.p95Tolerance, shape.p99Tolerance),
                periods,
                new Scenario.Effect(
                        shape.canaryErrorRatio,
                        shape.canaryP95Factor,
                        shape.canaryP99Factor,
                        shape.onset,
                        shape.latencySpread,
                        SIDE_LATENCY_NOISE));
    }

    /** Everything drawn once per scenario. */
    private static final class Shape {
        int bakePeriods;
        int maxPeriods;
        long minRequests;
        double canaryWeight;
        double errorTolerance;
        double p95Tolerance;
        double p99Tolerance;
        double requestsPerPeriod;
        double errorRate;
        double sharedRateNoise;
        double sideRateNoise;
        double latencyMedianMillis;
        double latencySpread;
        double sharedLatencyNoise;
        double diurnalAmplitude;
        double diurnalPeriods;
        double diurnalPhase;
        int incidentStart = -1;
        int incidentLength;
        double incidentErrorFactor;
        double incidentLatencyFactor;
        double canaryErrorRatio = 1;
        double canaryP95Factor = 1;
        double canaryP99Factor = 1;
        int onset;
        boolean regression;
        int missingPeriod = -1;
        boolean missingOnCanary;

        static Shape draw(Family family, Random random) {
            Shape shape = new Shape();
            double bakeDraw = random.nextDouble();
            shape.bakePeriods = bakeDraw < 0.2 ? 5 : bakeDraw < 0.8 ? 10 : 15;
            shape.maxPeriods = 3 * shape.bakePeriods;
            shape.minRequests = pick(random, 250, 500, 500, 1000);
            shape.canaryWeight = pick(random, 0.05, 0.1, 0.1, 0.25);
            shape.errorTolerance = pick(random, 0.1, 0.1, 0.2);
            shape.p95Tolerance = 0.2;
            shape.p99Tolerance = pick(random, 0.2, 0.2, 0.3);
            shape.requestsPerPeriod = logUniform(random, 3_000, 100_000);
            shape.errorRate = logUniform(random, 0.0005, 0.03);
            shape.sharedRateNoise = uniform(random, 0.05, 0.4);
            shape.sideRateNoise = uniform(random, 0, 0.04);
            shape.latencyMedianMillis = uniform(random, 30, 120);
            shape.latencySpread = uniform(random, 0.25, 0.6);
            shape.sharedLatencyNoise = uniform(random, 0.01, 0.04);
            shape.diurnalAmplitude = uniform(random, 0, 0.15);
            shape.diurnalPeriods = uniform(random, 60, 240);
            shape.diurnalPhase = uniform(random, 0, 2 * Math.PI);
            // Regressions mostly ship broken; some start part-way (a cache warming, a slow leak), before the bake ends.
            shape.onset = random.nextDouble() < 0.7 ? 0 : 1 + random.nextInt(Math.max(1, shape.bakePeriods / 2));
            if (random.nextDouble() < 0.1) {
                shape.missingPeriod = random.nextInt(shape.maxPeriods);
                shape.missingOnCanary = random.nextBoolean();
            }
            switch (family) {
                case GOOD -> {
                    shape.canaryErrorRatio = uniform(random, 0.8, 1.0);
                    shape.canaryP95Factor = uniform(random, 0.93, 1.02);
                    shape.canaryP99Factor = shape.canaryP95Factor * uniform(random, 0.97, 1.03);
                }
                case WITHIN_TOLERANCE -> {
                    shape.canaryErrorRatio = 1 + uniform(random, 0, 0.6) * shape.errorTolerance;
                    shape.canaryP95Factor = 1 + uniform(random, 0, 0.5) * shape.p95Tolerance;
                    shape.canaryP99Factor = 1 + uniform(random, 0, 0.5) * shape.p99Tolerance;
                }
                case JUST_INSIDE -> {
                    // Good releases a whisker inside the tolerance: a judge that tests "any shift" rolls them back.
                    shape.errorTolerance = 0.1;
                    shape.p95Tolerance = 0.2;
                    shape.p99Tolerance = 0.2;
                    shape.canaryErrorRatio = uniform(random, 1.05, 1.09);
                    shape.canaryP95Factor = uniform(random, 1.12, 1.18);
                    shape.canaryP99Factor = uniform(random, 1.12, 1.18);
                }
                case NOISY -> {
                    shape.canaryErrorRatio = uniform(random, 0.9, 1.05);
                    shape.sharedRateNoise = uniform(random, 0.5, 1.0);
                    shape.sideRateNoise = uniform(random, 0.05, 0.15);
                    shape.sharedLatencyNoise = uniform(random, 0.05, 0.15);
                    shape.latencySpread = uniform(random, 0.5, 0.9);
                }
                case DIURNAL -> {
                    shape.canaryErrorRatio = uniform(random, 0.9, 1.02);
                    shape.diurnalAmplitude = uniform(random, 0.3, 0.5);
                    shape.diurnalPeriods = uniform(random, 30, 90);
                }
                case SHARED_INCIDENT -> {
                    shape.canaryErrorRatio = uniform(random, 0.9, 1.02);
                    shape.incidentStart = random.nextInt(shape.maxPeriods - 2);
                    shape.incidentLength = 2 + random.nextInt(5);
                    shape.incidentErrorFactor = logUniform(random, 5, 40);
                    shape.incidentLatencyFactor = uniform(random, 1.0, 2.0);
                }
                case LOW_TRAFFIC -> {
                    shape.canaryErrorRatio = uniform(random, 0.85, 1.02);
                    // The canary gets 40 to 200 requests a period: the minimum sample comes, slowly.
                    shape.requestsPerPeriod = logUniform(random, 40, 200) / shape.canaryWeight;
                    shape.errorRate = logUniform(random, 0.003, 0.03);
                }
                case TRICKLE -> {
                    shape.canaryWeight = 0.01;
                    shape.requestsPerPeriod = logUniform(random, 100, 1_500);
                    shape.minRequests = Math.max(shape.minRequests, 500);
                    // Half the trickles also carry a real regression: still no basis for promoting them. (A
                    // trickle that does reach its minimum sample is judged on its merits, so its truth follows.)
                    if (random.nextBoolean()) {
                        shape.regress(3);
                    }
                }
                case ERRORS_X1_5 -> shape.regress(1.5);
                case ERRORS_X2 -> shape.regress(2);
                case ERRORS_X3 -> shape.regress(3);
                case ERRORS_X5 -> shape.regress(5);
                case LATENCY_X1_3 -> shape.slowDown(1.3, 1.3);
                case LATENCY_X1_5 -> shape.slowDown(1.5, 1.5);
                case LATENCY_X2 -> shape.slowDown(2, 2);
                case TAIL_LATENCY_X1_5 -> shape.slowDown(1.1, 1.5);
                default -> throw new IllegalStateException("unknown family " + family);
            }
            return shape;
        }

        void regress(double ratio) {
            canaryErrorRatio = ratio;
            regression = true;
        }

        void slowDown(double p95Factor, double p99Factor) {
            canaryP95Factor = p95Factor;
            canaryP99Factor = p99Factor;
            regression = true;
        }

        Period period(int k, Random random) {
            double traffic = requestsPerPeriod
                    * (1 + diurnalAmplitude * Math.sin(2 * Math.PI * k / diurnalPeriods + diurnalPhase));
            // Busier periods run a little hotter: error rate and latency follow the traffic shape, on both sides.
            double load = Math.sqrt(traffic / requestsPerPeriod);
            double sharedRate = errorRate
                    * load
                    * Math.exp(sharedRateNoise * random.nextGaussian() - sharedRateNoise * sharedRateNoise / 2);
            double sharedLatency = load * Math.exp(sharedLatencyNoise * random.nextGaussian());
            if (incidentStart >= 0 && k >= incidentStart && k < incidentStart + incidentLength) {
                sharedRate *= incidentErrorFactor;
                sharedLatency *= incidentLatencyFactor;
            }
            boolean regressed = k >= onset;
            Side baseline = side(random, traffic * (1 - canaryWeight), sharedRate, sharedLatency, 1, 1, 1);
            Side canary = side(
                    random,
                    traffic * canaryWeight,
                    sharedRate,
                    sharedLatency,
                    regressed ? canaryErrorRatio : 1,
                    regressed ? canaryP95Factor : 1,
                    regressed ? canaryP99Factor : 1);
            if (k == missingPeriod) {
                Side missing = new Side(null, null, null, null);
                return missingOnCanary ? new Period(baseline, missing) : new Period(missing, canary);
            }
            return new Period(baseline, canary);
        }

        private Side side(
                Random random,
                double expectedRequests,
                double sharedRate,
                double sharedLatency,
                double errorRatio,
                double p95Factor,
                double p99Factor) {
            double requests = poisson(random, expectedRequests);
            double rate = Math.min(0.5, sharedRate * errorRatio * Math.exp(sideRateNoise * random.nextGaussian()));
            double errors = binomial(random, requests, rate);
            if (requests == 0) {
                return new Side(0.0, 0.0, null, null);
            }
            double median = latencyMedianMillis * sharedLatency * Math.exp(SIDE_LATENCY_NOISE * random.nextGaussian());
            double[] percentiles = percentiles(
                    random, (int) requests, median, LatencyShape.scaled(latencySpread, p95Factor, p99Factor));
            return new Side(requests, errors, percentiles[0], percentiles[1]);
        }
    }

    /**
     * Sample p95 and p99 of {@code n} latencies of this shape: drawn one by one when few; when many,
     * from the joint asymptotic law of the two sample quantiles (normal in z around z95 and z99, with
     * variances p(1 − p)/(n φ(z)²) and the distribution-free correlation √(0.95·0.01/(0.99·0.05)) of
     * two order statistics of one sample), mapped through the shape, so a stretched tail's p99 carries
     * the extra noise a real one would.
     */
    static double[] percentiles(Random random, int n, double median, LatencyShape shape) {
        if (n <= 400) {
            double[] latencies = new double[n];
            for (int i = 0; i < n; i++) {
                latencies[i] = median * Math.exp(shape.logLatency(random.nextGaussian()));
            }
            Arrays.sort(latencies);
            return new double[] {latencies[(int) Math.ceil(0.95 * n) - 1], latencies[(int) Math.ceil(0.99 * n) - 1]};
        }
        return asymptoticPercentiles(random, n, median, shape);
    }

    /** The sample p95 and p99 of n latencies of this shape from their joint asymptotic law (the large-n branch of {@link #percentiles}). */
    static double[] asymptoticPercentiles(Random random, int n, double median, LatencyShape shape) {
        double first = random.nextGaussian();
        double second = P95_P99_CORRELATION * first
                + Math.sqrt(1 - P95_P99_CORRELATION * P95_P99_CORRELATION) * random.nextGaussian();
        return new double[] {
            median * Math.exp(shape.logLatency(LatencyShape.Z95 + first * quantileError(n, 0.95, LatencyShape.Z95))),
            median * Math.exp(shape.logLatency(LatencyShape.Z99 + second * quantileError(n, 0.99, LatencyShape.Z99)))
        };
    }

    /** A sample quantile's standard error in standard-normal units: sqrt(p(1-p)/n) / density at the quantile. */
    private static double quantileError(int n, double p, double z) {
        double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        return Math.sqrt(p * (1 - p) / n) / density;
    }

    static double poisson(Random random, double mean) {
        if (mean <= 0) {
            return 0;
        }
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

    static double binomial(Random random, double trials, double probability) {
        double mean = trials * probability;
        if (mean > 50 && trials * (1 - probability) > 50) {
            double drawn = Math.round(mean + Math.sqrt(mean * (1 - probability)) * random.nextGaussian());
            return Math.max(0, Math.min(trials, drawn));
        }
        return Math.min(trials, poisson(random, mean));
    }

    private static double uniform(Random random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    private static double logUniform(Random random, double low, double high) {
        return Math.exp(uniform(random, Math.log(low), Math.log(high)));
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
