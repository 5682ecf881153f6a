package dev.tollgate.judge;

/**
 * Anytime-valid evidence from a sequential sign test: of {@code trials} periods, {@code successes}
 * had the canary on the tested side of the boundary. If the canary's per-period value is on that
 * side with probability at most one half in every period (the boundary is at or beyond the median
 * of the canary/baseline ratio), the mixture likelihood ratio below is a supermartingale, however
 * heavy the tails of the values and whatever moves both sides together.
 *
 * <p>Each period can at most double the evidence, so crossing 1/alpha takes at least
 * log2(1/alpha) periods: 7 or 8 at alpha = 0.01. That is the price of assuming nothing about the
 * shape of the values.
 */
final class SignEvidence {

    /** A Beta(8, 1) prior on the success probability: most weight on clear, consistent shifts. */
    static final Mixture ALTERNATIVES = Mixture.betaAboveHalf(8, 40);

    private SignEvidence() {}

    static double logEvidence(int successes, int trials) {
        double[] logRatios = new double[ALTERNATIVES.size()];
        for (int j = 0; j < ALTERNATIVES.size(); j++) {
            double p = ALTERNATIVES.alternative(j);
            logRatios[j] = successes * Math.log(2 * p) + (trials - successes) * Math.log(2 * (1 - p));
        }
        return ALTERNATIVES.logEvidence(logRatios);
    }

    /** The fewest successes out of {@code trials} whose evidence reaches {@code logThreshold}, or -1 if none. */
    static int successesNeeded(int trials, double logThreshold) {
        for (int successes = 0; successes <= trials; successes++) {
            if (logEvidence(successes, trials) >= logThreshold) {
                return successes;
            }
        }
        return -1;
    }
}
