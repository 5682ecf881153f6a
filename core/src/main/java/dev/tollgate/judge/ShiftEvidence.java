package dev.tollgate.judge;

/**
 * Anytime-valid evidence that a statistic's per-period log distance beyond its boundary,
 * x = log(canary / (baseline × boundary)), has a positive mean: a test that uses the size of the
 * shift, not only its sign, and so decides in a period or two where the shift is many noise widths.
 *
 * <p><b>The test.</b> If x has mean at most 0 and is sub-Gaussian with variance proxy at most σ²,
 * then for every θ &gt; 0 the factor exp(θ·min(x/σ, c) − θ²/2) has expectation at most 1 (capping
 * x from above only lowers it), so the product over periods is a test supermartingale and a
 * {@link Mixture} over θ, the shift in noise widths, is one too; σ may differ from period to
 * period as long as it is fixed before the period's values are seen. The cap c = {@link #CAP}
 * bounds what any single period can add (at most {@code CAP²/2} on the log scale, below
 * log(1/alpha) for alpha ≥ 1 %), so one spiky period never fails a step alone and heavy tails
 * weigh no more than a three-σ point.
 *
 * <p><b>The noise bound.</b> The guarantee rests on σ being at least the real noise. The bound
 * set in advance: where the statistic is a percentile (or an average) and both sides' sample
 * counts are known, σᵢ² = fᵢ + {@link #NOISE_FLOOR}², with fᵢ the sampling variance of the log
 * ratio from {@link PercentileShape} (each side's tail spread, read from the periods before or
 * assumed, over its sample count), so σ follows each period's traffic on each side; without
 * sample counts, σ = {@link #PRIOR_UNSCALED_NOISE}. The data then scale that bound by how noisy
 * the periods before each one were (predictably, so the product stays a supermartingale):
 * successive differences of x, in which anything common to both sides and any steady shift
 * cancel, against the variance the bound gives them, the largest dropped when it is far out of
 * line with the rest (a regression's onset, a spike), shrunk towards the bound with
 * {@link #PRIOR_PERIODS} period's weight. Clustered slow requests, a noisier custom metric or a
 * heavier tail than the bound's raise σ within a few periods; quieter data lower it. Until then
 * the first periods lean on the bound, which is what {@code FalseRollbackPropertyTest} checks at
 * the tolerance boundary.
 */
final class ShiftEvidence {

    /** Per-period values beyond this many σ are capped: no single period can carry the test. */
    static final double CAP = 3.0;
    /** Without sample counts: the per-period noise of the log ratio assumed before the data say otherwise. */
    static final double PRIOR_UNSCALED_NOISE = 0.15;
    /** How many periods' weight the bound set in advance keeps against the differences seen. */
    static final double PRIOR_PERIODS = 1;
    /** Noise that no sample count removes (CloudWatch's percentile approximation, each side's own wobble), log units. */
    static final double NOISE_FLOOR = 0.02;
    /**
     * A spike or a regression's onset makes one outlying difference: the largest is dropped when it
     * is more than this many times the mean of the others and of the bound's own (honest noise
     * almost never is: a squared normal beyond 20 times its mean has odds of 1 in 130,000, so
     * dropping it does not bias the noise down).
     */
    static final double OUTLYING = 20;

    /**
     * Shifts beyond the boundary in noise widths, from 0.3 to {@link #CAP}, most weight around 2.5.
     * Measured in noise widths because the cap makes a shift beyond {@code CAP} widths weigh no
     * more than one at it: a mixture over absolute shifts spends most of its weight on shifts that
     * are either lost in the noise or capped.
     */
    static final Mixture ALTERNATIVES = Mixture.logDistances(0.3, CAP, 2.5, 0.5, 32);

    private final double[] distance;
    private final double[] variance;
    private final boolean scaledByCounts;

    /**
     * {@code distance[i]}: x of period i (NaN where it has none); {@code sampling[i]}: fᵢ, the
     * sampling variance of x from the sample counts, or NaN where they are unknown (then no period
     * is scaled by counts).
     */
    ShiftEvidence(double[] distance, double[] sampling) {
        this.distance = distance.clone();
        this.scaledByCounts = scalable(distance, sampling);
        double[] prior = new double[distance.length];
        for (int i = 0; i < distance.length; i++) {
            prior[i] = scaledByCounts
                    ? sampling[i] + NOISE_FLOOR * NOISE_FLOOR
                    : PRIOR_UNSCALED_NOISE * PRIOR_UNSCALED_NOISE;
        }
        this.variance = new double[distance.length];
        for (int i = 0; i < distance.length; i++) {
            variance[i] = noiseMultiplier(i, prior) * prior[i];
        }
    }

    boolean scaledByCounts() {
        return scaledByCounts;
    }

    /** The noise σ the latest period was weighed with, in log units (NaN without periods). */
    double latestNoise() {
        return variance.length == 0 ? Double.NaN : Math.sqrt(variance[variance.length - 1]);
    }

    /** log of the evidence from period {@code start} on, for every start (the distances signed so positive is worse). */
    double[] logEvidenceFromEachStart() {
        int periods = distance.length;
        double[] suffix = new double[ALTERNATIVES.size()];
        double[] evidenceFrom = new double[periods];
        for (int start = periods - 1; start >= 0; start--) {
            for (int j = 0; j < ALTERNATIVES.size(); j++) {
                suffix[j] += increment(start, ALTERNATIVES.alternative(j), 1);
            }
            evidenceFrom[start] = ALTERNATIVES.logEvidence(suffix);
        }
        return evidenceFrom;
    }

    /** log of the evidence over the whole step that the mean is below zero: the distances' signs flipped. */
    double logEvidenceBelowZero() {
        double[] total = new double[ALTERNATIVES.size()];
        for (int i = 0; i < distance.length; i++) {
            for (int j = 0; j < ALTERNATIVES.size(); j++) {
                total[j] += increment(i, ALTERNATIVES.alternative(j), -1);
            }
        }
        return ALTERNATIVES.logEvidence(total);
    }

    /** One period's capped log-likelihood ratio of a shift of {@code shift} noise widths (in the direction {@code sign}) against none. */
    double increment(int period, double shift, int sign) {
        double x = distance[period];
        if (Double.isNaN(x)) {
            return 0;
        }
        double capped = Math.min(sign * x / Math.sqrt(variance[period]), CAP);
        return shift * capped - shift * shift / 2;
    }

    double variance(int period) {
        return variance[period];
    }

    /** Scaled by counts only when every period with a distance has its sampling factor. */
    private static boolean scalable(double[] distance, double[] sampling) {
        boolean any = false;
        for (int i = 0; i < distance.length; i++) {
            if (!Double.isNaN(distance[i])) {
                if (!(sampling[i] > 0) || Double.isInfinite(sampling[i])) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /**
     * How much noisier (above 1) or quieter than the prior the periods before {@code upTo} were:
     * each difference of successive distances, squared, over the variance the prior gives it,
     * the largest dropped when far out of line with the rest, shrunk towards 1 with
     * {@link #PRIOR_PERIODS} periods' weight.
     */
    private double noiseMultiplier(int upTo, double[] prior) {
        double sum = 0;
        double largest = 0;
        int used = 0;
        int previous = -1;
        for (int i = 0; i < upTo; i++) {
            if (Double.isNaN(distance[i])) {
                continue;
            }
            if (previous >= 0) {
                double step = distance[i] - distance[previous];
                double ratio = step * step / (prior[i] + prior[previous]);
                sum += ratio;
                largest = Math.max(largest, ratio);
                used++;
            }
            previous = i;
        }
        // The bound itself counts among "the others", as PRIOR_PERIODS differences of exactly the size it expects.
        if (used >= 1 && largest > OUTLYING * (PRIOR_PERIODS + sum - largest) / (PRIOR_PERIODS + used - 1)) {
            sum -= largest;
            used--;
        }
        return (PRIOR_PERIODS + sum) / (PRIOR_PERIODS + used);
    }
}
