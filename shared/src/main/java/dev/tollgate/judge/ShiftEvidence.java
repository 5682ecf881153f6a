package dev.tollgate.judge;

import java.util.Arrays;

/**
 * Anytime-valid evidence that a statistic's per-period log distance beyond its boundary,
 * x = log(canary / (baseline × boundary)), has a positive mean: a test that uses the size of the
 * shift, not only its sign, and so decides in a period or two where the shift is many noise widths.
 *
 * <p><b>The test.</b> If x has mean at most 0 and is sub-Gaussian with variance proxy at most σ²,
 * then for every δ &gt; 0 the factor exp((δ·min(x, c) − δ²/2) / σ²) has expectation at most 1
 * (capping x from above only lowers it), so the product over periods is a test supermartingale
 * and a {@link Mixture} over δ is one too. The cap c = {@link #CAP} σ bounds what any single
 * period can add (at most {@code CAP²/2} on the log scale, below log(1/alpha) for alpha ≥ 1 %), so
 * one spiky period never fails a step alone and heavy tails weigh no more than a three-σ point.
 *
 * <p><b>The noise bound.</b> The guarantee rests on σ being at least the real noise. The bound
 * set in advance: where the statistic is a percentile (or an average) and both sides' sample
 * counts are known, σᵢ² = S²·fᵢ + {@link #NOISE_FLOOR}², with fᵢ = k²(1/nᵢ + 1/mᵢ) the sampling
 * variance of the log of a sample quantile of a log-normal of unit spread (k² = p(1 − p)/φ(z_p)²)
 * and S = {@link #PRIOR_SPREAD}, so σ follows each period's traffic on each side; without sample
 * counts, σ = {@link #PRIOR_UNSCALED_NOISE}. The data then scale that bound by how noisy the
 * periods before each one were (predictably, so the product stays a supermartingale): successive
 * differences of x, in which anything common to both sides and any steady shift cancel, against
 * the variance the bound gives them, the largest dropped when it is far out of line with the rest
 * (a regression's onset, a spike), shrunk towards the bound with {@link #PRIOR_PERIODS} period's
 * weight. Clustered slow requests, a noisier custom metric or a heavier tail than the prior's
 * raise σ within a few periods; quieter data lower it. Until then the first periods lean on the
 * bound, which is what {@code FalseRollbackPropertyTest} checks at the tolerance boundary.
 */
final class ShiftEvidence {

    /** Per-period values beyond this many σ are capped: no single period can carry the test. */
    static final double CAP = 3.0;
    /** The log-normal spread assumed before the data say otherwise: a p99 about 5.7 times the median. */
    static final double PRIOR_SPREAD = 0.6;
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

    /** Shifts beyond the boundary from 0.5 % to a factor of 20, most weight around 30 %. */
    static final Mixture ALTERNATIVES = Mixture.logDistances(0.005, 3.0, 0.25, 1.5, 32);

    private final double[] distance;
    private final double[] variance;
    private final boolean scaledByCounts;

    /**
     * {@code distance[i]}: x of period i (NaN where it has none); {@code sampling[i]}: fᵢ, or NaN
     * where the sample counts are unknown (then no period is scaled by counts).
     */
    ShiftEvidence(double[] distance, double[] sampling) {
        this.distance = distance.clone();
        this.scaledByCounts = scalable(distance, sampling);
        double[] prior = new double[distance.length];
        for (int i = 0; i < distance.length; i++) {
            prior[i] = scaledByCounts
                    ? PRIOR_SPREAD * PRIOR_SPREAD * sampling[i] + NOISE_FLOOR * NOISE_FLOOR
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

    /** One period's capped log-likelihood ratio of a shift {@code shift} (in the direction {@code sign}) against none. */
    double increment(int period, double shift, int sign) {
        double x = distance[period];
        if (Double.isNaN(x)) {
            return 0;
        }
        double sigma2 = variance[period];
        double capped = Math.min(sign * x, CAP * Math.sqrt(sigma2));
        return (shift * capped - shift * shift / 2) / sigma2;
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

    /**
     * k² of a statistic: the sampling variance, times n, of the log of its estimate from n values
     * of a log-normal of unit spread. A percentile pNN: p(1 − p)/φ(z_p)²; an average: 1 (its
     * coefficient of variation, near the spread for spreads below 1). NaN for statistics whose
     * noise does not shrink as 1/n (Sum, SampleCount, Minimum, Maximum, p0, p100).
     */
    static double samplingConstant(String stat) {
        if (stat == null) {
            return Double.NaN;
        }
        if (stat.equals("Average")) {
            return 1.0;
        }
        if (stat.matches("p\\d{1,2}(\\.\\d+)?")) {
            double level = Double.parseDouble(stat.substring(1)) / 100;
            if (level <= 0 || level >= 1) {
                return Double.NaN;
            }
            double z = inverseNormal(level);
            double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
            return level * (1 - level) / (density * density);
        }
        return Double.NaN;
    }

    /** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
    static double inverseNormal(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -inverseNormal(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
