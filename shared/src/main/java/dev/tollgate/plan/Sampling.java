package dev.tollgate.plan;

import java.util.Random;

/** Binomial draws for request and error counts, exact for small counts and by the normal approximation for large ones. */
final class Sampling {

    private Sampling() {}

    static long binomial(long trials, double probability, Random random) {
        if (trials <= 0 || probability <= 0) {
            return 0;
        }
        if (probability > 0.5) {
            return trials - binomial(trials, 1 - probability, random);
        }
        double mean = trials * probability;
        double variance = mean * (1 - probability);
        if (variance >= 25) {
            return Math.max(0, Math.min(trials, Math.round(mean + Math.sqrt(variance) * random.nextGaussian())));
        }
        if (trials <= 2_000) {
            long successes = 0;
            for (long trial = 0; trial < trials; trial++) {
                if (random.nextDouble() < probability) {
                    successes++;
                }
            }
            return successes;
        }
        // Many trials, few successes: Poisson with the same mean (Knuth's method; the mean is under about 26 here).
        double limit = Math.exp(-mean);
        long count = 0;
        double product = random.nextDouble();
        while (product > limit) {
            count++;
            product *= random.nextDouble();
        }
        return Math.min(trials, count);
    }
}
