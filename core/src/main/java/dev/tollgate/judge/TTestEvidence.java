package dev.tollgate.judge;

/**
 * A sequential t-test on per-period log ratios: evidence that their mean is above zero, with the
 * noise level unknown. The Bayes factor of a normal prior N(0, g) on the standardised effect
 * against no effect, with the scale-invariant (right Haar) prior on the noise, is
 * (1 + n g)^(-1/2) (1 − g S² / ((1 + n g) Q))^(−n/2) for S the sum and Q the sum of squares; it
 * depends on the data only through their scale-free shape, and is a test martingale under Gaussian
 * noise of any variance (Pérez-Ortiz et al., "E-statistics, group invariance and anytime-valid
 * testing", 2024). Symmetric heavy tails make it conservative rather than anti-conservative: an
 * outlier inflates Q as much as S².
 *
 * <p>Unlike the sign test, one period can multiply this evidence by far more than 2, so a clear,
 * steady shift is caught in three periods. A mixture over g covers effects from a few to
 * thousands of noise widths; only evidence for a positive mean is counted.
 */
final class TTestEvidence {

    private static final double[] PRIOR_SCALES = {1, 10, 100, 1_000, 10_000};

    private TTestEvidence() {}

    /** log of the mixed Bayes factor for {@code n} values with sum {@code sum} and sum of squares {@code sumOfSquares}. */
    static double logEvidence(int n, double sum, double sumOfSquares) {
        if (n < 2 || sum <= 0 || sumOfSquares <= 0) {
            return n < 2 || sumOfSquares <= 0 ? 0 : Double.NEGATIVE_INFINITY;
        }
        double shape = Math.min(sum * sum / sumOfSquares, n);
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[PRIOR_SCALES.length];
        for (int k = 0; k < PRIOR_SCALES.length; k++) {
            double g = PRIOR_SCALES[k];
            double spread = 1 + n * g;
            // 1 − g·shape/spread is at least 1/spread, as shape <= n; computed as (1 + g(n − shape)) / spread to keep
            // precision.
            double remaining = (1 + g * (n - shape)) / spread;
            terms[k] = -0.5 * Math.log(spread) - 0.5 * n * Math.log(remaining) - Math.log(PRIOR_SCALES.length);
            max = Math.max(max, terms[k]);
        }
        double total = 0;
        for (double term : terms) {
            total += Math.exp(term - max);
        }
        return max + Math.log(total);
    }
}
