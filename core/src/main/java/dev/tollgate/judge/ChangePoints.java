package dev.tollgate.judge;

/**
 * Evidence of a regression that may have started part-way through the step (a leak, a cache
 * that fills, a dependency that degrades). A test that starts at the first period must first
 * pay back the evidence of health it gathered before the onset; instead, this mixes tests started
 * at every period s, with prior weight 3/4 on s = 1 and 1/(4(s-1)s) on each later s. Each
 * started test is a supermartingale under no regression (1 until it starts), and so is their
 * weighted sum: the false-alarm guarantee is unchanged, a regression from the first period costs
 * only a factor 4/3 of evidence, and one from period s a factor 4s(s-1).
 */
final class ChangePoints {

    /** The evidence and the period (0-based) from which it is strongest. */
    record Evidence(double logEvidence, int strongestStart) {}

    private ChangePoints() {}

    /** Most regressions ship with the release, so the first period gets this much of the prior. */
    static final double FIRST_PERIOD_WEIGHT = 0.75;

    static double logStartWeight(int start) {
        double later = 1 - FIRST_PERIOD_WEIGHT;
        return start == 0 ? Math.log(FIRST_PERIOD_WEIGHT) : Math.log(later / (start * (start + 1.0)));
    }

    /**
     * {@code increments[i][j]}: log-likelihood ratio of alternative j in period i. The result is
     * log sum_s pi_s sum_j w_j exp(sum_{i >= s} increments[i][j]), plus the weight of starts not
     * yet reached (whose tests still stand at 1).
     */
    static Evidence mixture(double[][] increments, Mixture alternatives) {
        int periods = increments.length;
        int size = alternatives.size();
        double[] suffix = new double[size];
        double[] evidenceFrom = new double[periods];
        for (int start = periods - 1; start >= 0; start--) {
            for (int j = 0; j < size; j++) {
                suffix[j] += increments[start][j];
            }
            evidenceFrom[start] = alternatives.logEvidence(suffix);
        }
        return fromStartEvidence(evidenceFrom);
    }

    /** {@code logEvidenceFrom[s]}: log of the evidence of a test started at period s, as of now. */
    static Evidence fromStartEvidence(double[] logEvidenceFrom) {
        int periods = logEvidenceFrom.length;
        double[] perStart = new double[periods];
        for (int start = 0; start < periods; start++) {
            perStart[start] = logStartWeight(start) + logEvidenceFrom[start];
        }
        // Starts after the last period: weight (1 - first) / periods in total, each test still at 1.
        double notStarted = periods == 0 ? 0 : Math.log((1 - FIRST_PERIOD_WEIGHT) / periods);
        double max = notStarted;
        int strongest = -1;
        for (int start = 0; start < periods; start++) {
            if (perStart[start] > max) {
                max = perStart[start];
                strongest = start;
            }
        }
        double sum = Math.exp(notStarted - max);
        for (int start = 0; start < periods; start++) {
            sum += Math.exp(perStart[start] - max);
        }
        return new Evidence(max + Math.log(sum), strongest);
    }
}
