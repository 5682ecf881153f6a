package dev.tollgate.judge;

import java.util.List;

/**
 * Anytime-valid evidence about rho, the canary's error rate over the baseline's, from per-period
 * counts.
 *
 * <p>Given a period's total errors t, the canary's errors are binomial(t, p) with
 * p = s·rho / (s·rho + 1 − s), s being the canary's share of that period's requests. Conditioning
 * period by period makes the baseline's own rate a nuisance that cancels: an incident or a daily
 * swing that moves both sides by the same factor carries no evidence either way.
 *
 * <p>For a boundary rho0, the product over periods of the likelihood ratio of an alternative
 * rho &gt; rho0 against rho0 is a supermartingale whenever the true ratio is at most rho0; a
 * {@link Mixture} over such alternatives is one too. Its running value is the evidence of a
 * regression; the mirror image (alternatives below a boundary) is the evidence that the ratio is
 * below it, and inverting that at every boundary gives a confidence sequence for rho.
 *
 * <p>Counts burstier than binomial (a retry storm on one side, a bad host in the baseline fleet)
 * would make plain likelihood ratios overconfident. Each period's log-likelihood ratio is
 * therefore scaled by 1/phi, phi = 1 + (t − 1)·p(1 − p)·noise² being that period's variance
 * inflation when the ratio itself wobbles from period to period with coefficient of variation
 * "noise". Raising a likelihood ratio to the power 1/phi keeps its expectation at most 1 under
 * that much extra variance (to the Gaussian approximation), and because the noise is estimated
 * from earlier periods only, the scaling is predictable and the product stays a supermartingale.
 * The noise is measured, not assumed: the estimate starts at the floor {@link #MIN_RATIO_NOISE}
 * (real fleets are never perfectly Poisson) with one period's weight and rises as fast as the
 * periods show more; noise common to both sides cancels in the conditional test and does not
 * count. This costs evidence only where counts are large, which is where evidence is plentiful.
 */
final class RateRatioEvidence {

    /**
     * The period-to-period noise of the rate ratio beyond binomial sampling (a coefficient of
     * variation) assumed before the data say otherwise: the floor, so a large regression fails at
     * its first period; the periods' own noise takes over from the second.
     */
    static final double PRIOR_RATIO_NOISE = 0.10;
    /** How many periods' worth of weight that assumption keeps against the estimate from data. */
    static final double NOISE_PRIOR_PERIODS = 1;
    /** The least noise ever assumed: real fleets are never perfectly Poisson. */
    static final double MIN_RATIO_NOISE = 0.10;
    /** A regression starting part-way makes one outlying difference; it is dropped once there are this many. */
    static final int DIFFERENCES_BEFORE_TRIMMING = 6;

    /**
     * Alternatives for a regression, as log distances beyond the boundary: most weight near a
     * rate 1.8 times the boundary, little on ratios past 150 or within 2 % of it, so a large
     * regression pays little for not being known in advance and a rate half as high again (a
     * log distance of 0.2 to 0.3 beyond a 10 to 20 % tolerance) little for being small.
     */
    static final Mixture REGRESSIONS = Mixture.logDistances(0.02, 5.0, 0.6, 0.9, 40);
    /**
     * Alternatives on the good side of a boundary, for the evidence of no regression and the
     * bounds: most weight near a rate 40 % inside it, where a healthy release sits against the
     * gross boundary.
     */
    static final Mixture GOOD_SIDE = Mixture.logDistances(0.01, 3.0, 0.5, 0.8, 40);

    private static final double SEARCH_LOW = 1e-4;
    private static final double SEARCH_HIGH = 1e4;
    /** Halvings of the log search range [1e-4, 1e4]: 14 leave a bound within 0.12 % of itself. */
    private static final int BISECTIONS = 14;

    private final int periods;
    private final double[] canaryErrors;
    private final double[] totalErrors;
    private final double[] canaryShare;
    private final double[] periodWeight;
    private final double stratifiedRatio;
    private final double ratioNoise;

    RateRatioEvidence(List<PairedPeriods.Counts> counts) {
        periods = counts.size();
        canaryErrors = new double[periods];
        totalErrors = new double[periods];
        canaryShare = new double[periods];
        periodWeight = new double[periods];
        for (int i = 0; i < periods; i++) {
            PairedPeriods.Counts period = counts.get(i);
            canaryErrors[i] = period.canaryErrors();
            totalErrors[i] = period.totalErrors();
            canaryShare[i] = period.canaryShare();
        }
        for (int i = 0; i < periods; i++) {
            double noise = ratioNoise(i);
            double p = errorShare(i, smoothedRatio(i));
            double inflation = 1 + Math.max(0, totalErrors[i] - 1) * p * (1 - p) * noise * noise;
            periodWeight[i] = 1 / inflation;
        }
        ratioNoise = ratioNoise(periods);
        stratifiedRatio = mantelHaenszel(periods, 0);
    }

    /** The Mantel-Haenszel estimate of rho: the canary's rate over the baseline's, period by period. NaN without errors. */
    double estimate() {
        return stratifiedRatio;
    }

    /** The noise coefficient the latest period was weighed with. */
    double ratioNoise() {
        return ratioNoise;
    }

    /**
     * Evidence that rho is beyond {@code boundary} (above it, or below it when {@code above} is
     * false) from some period on, mixed over the period it started ({@link ChangePoints}).
     */
    ChangePoints.Evidence regressionEvidence(double boundary, boolean above) {
        int side = above ? 1 : -1;
        double[] boundaryNormalisers = normalisers(boundary);
        double[][] increments = new double[periods][REGRESSIONS.size()];
        for (int j = 0; j < REGRESSIONS.size(); j++) {
            double alternative = boundary * Math.exp(side * REGRESSIONS.alternative(j));
            for (int i = 0; i < periods; i++) {
                increments[i][j] = periodLogLikelihoodRatio(i, alternative, boundary, boundaryNormalisers[i]);
            }
        }
        return ChangePoints.mixture(increments, REGRESSIONS);
    }

    /** log of the evidence that rho exceeds {@code boundary} over the whole step. */
    double logEvidenceAbove(double boundary) {
        return logEvidence(boundary, 1);
    }

    /** log of the evidence that rho is below {@code boundary}. */
    double logEvidenceBelow(double boundary) {
        return logEvidence(boundary, -1);
    }

    /** The least boundary that the evidence puts rho below, at {@code logThreshold}; +infinity if none. */
    double upperBound(double logThreshold) {
        if (logEvidenceBelow(SEARCH_HIGH) < logThreshold) {
            return Double.POSITIVE_INFINITY;
        }
        double low = Math.log(SEARCH_LOW);
        double high = Math.log(SEARCH_HIGH);
        for (int i = 0; i < BISECTIONS; i++) {
            double middle = (low + high) / 2;
            if (logEvidenceBelow(Math.exp(middle)) >= logThreshold) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return Math.exp(high);
    }

    /** The greatest boundary that the evidence puts rho above, at {@code logThreshold}; 0 if none. */
    double lowerBound(double logThreshold) {
        if (logEvidenceAbove(SEARCH_LOW) < logThreshold) {
            return 0;
        }
        double low = Math.log(SEARCH_LOW);
        double high = Math.log(SEARCH_HIGH);
        for (int i = 0; i < BISECTIONS; i++) {
            double middle = (low + high) / 2;
            if (logEvidenceAbove(Math.exp(middle)) >= logThreshold) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return Math.exp(low);
    }

    private double logEvidence(double boundary, int side) {
        double[] boundaryNormalisers = normalisers(boundary);
        double[] logRatios = new double[GOOD_SIDE.size()];
        for (int j = 0; j < GOOD_SIDE.size(); j++) {
            double alternative = boundary * Math.exp(side * GOOD_SIDE.alternative(j));
            double total = 0;
            for (int i = 0; i < periods; i++) {
                total += periodLogLikelihoodRatio(i, alternative, boundary, boundaryNormalisers[i]);
            }
            logRatios[j] = total;
        }
        return GOOD_SIDE.logEvidence(logRatios);
    }

    /** The tempered log-likelihood ratio of rho = {@code alternative} against rho = {@code boundary}, over the whole step. */
    double logLikelihoodRatio(double alternative, double boundary) {
        double[] boundaryNormalisers = normalisers(boundary);
        double total = 0;
        for (int i = 0; i < periods; i++) {
            total += periodLogLikelihoodRatio(i, alternative, boundary, boundaryNormalisers[i]);
        }
        return total;
    }

    /**
     * With norm(r) = s·r + 1 − s, p(r) = s·r / norm(r) and 1 − p(r) = (1 − s) / norm(r), so the
     * period's log-likelihood ratio is c·log(alt/b) − t·log(norm(alt)/norm(b)).
     */
    private double periodLogLikelihoodRatio(int i, double alternative, double boundary, double boundaryNormaliser) {
        if (totalErrors[i] <= 0) {
            return 0;
        }
        double normalisers = Math.log1p(canaryShare[i] * (alternative - 1)) - boundaryNormaliser;
        return periodWeight[i] * (canaryErrors[i] * Math.log(alternative / boundary) - totalErrors[i] * normalisers);
    }

    private double[] normalisers(double ratio) {
        double[] logNorms = new double[periods];
        for (int i = 0; i < periods; i++) {
            logNorms[i] = Math.log1p(canaryShare[i] * (ratio - 1));
        }
        return logNorms;
    }

    private double errorShare(int period, double ratio) {
        double s = canaryShare[period];
        return s * ratio / (s * ratio + 1 - s);
    }

    /**
     * The noise coefficient to weigh period {@code upTo} with, from the periods before it: the
     * excess over binomial noise of the squared differences between successive periods' log rate
     * ratios (differences, so a regression that starts part-way shows up as one outlying difference,
     * which is dropped, rather than as noise), shrunk towards and floored at {@link #MIN_RATIO_NOISE}.
     */
    private double ratioNoise(int upTo) {
        int differences = Math.max(0, upTo - 1);
        double[] excess = new double[differences];
        double[] weight = new double[differences];
        for (int k = 0; k < differences; k++) {
            double step = logRatio(k + 1) - logRatio(k);
            double sampling = samplingVariance(k + 1) + samplingVariance(k);
            weight[k] = 1 / (sampling * sampling);
            excess[k] = step * step - sampling;
        }
        int largest = -1;
        if (differences >= DIFFERENCES_BEFORE_TRIMMING) {
            for (int k = 0; k < differences; k++) {
                if (largest < 0 || weight[k] * excess[k] > weight[largest] * excess[largest]) {
                    largest = k;
                }
            }
        }
        double weightedExcess = 0;
        double totalWeight = 0;
        int used = 0;
        for (int k = 0; k < differences; k++) {
            if (k != largest) {
                weightedExcess += weight[k] * excess[k];
                totalWeight += weight[k];
                used++;
            }
        }
        if (used == 0) {
            return PRIOR_RATIO_NOISE;
        }
        // Each difference holds the ratio's noise twice.
        double estimate = Math.max(0, weightedExcess / totalWeight / 2);
        double shrunk = (NOISE_PRIOR_PERIODS * PRIOR_RATIO_NOISE * PRIOR_RATIO_NOISE + used * estimate)
                / (NOISE_PRIOR_PERIODS + used);
        return Math.max(MIN_RATIO_NOISE, Math.sqrt(shrunk));
    }

    /** The period's log rate ratio, with half an error added to each side so it stays finite. */
    private double logRatio(int period) {
        double baselineErrors = totalErrors[period] - canaryErrors[period];
        double s = canaryShare[period];
        return Math.log((canaryErrors[period] + 0.5) / (baselineErrors + 0.5)) - Math.log(s / (1 - s));
    }

    private double samplingVariance(int period) {
        double baselineErrors = totalErrors[period] - canaryErrors[period];
        return 1 / (canaryErrors[period] + 0.5) + 1 / (baselineErrors + 0.5);
    }

    /** The Mantel-Haenszel ratio of the periods before {@code upTo}, pulled towards 1 so it stays finite. */
    private double smoothedRatio(int upTo) {
        return mantelHaenszel(upTo, 0.5);
    }

    private double mantelHaenszel(int upTo, double pseudoErrors) {
        double canaryWeighted = pseudoErrors;
        double baselineWeighted = pseudoErrors;
        for (int j = 0; j < upTo; j++) {
            double baselineErrors = totalErrors[j] - canaryErrors[j];
            canaryWeighted += canaryErrors[j] * (1 - canaryShare[j]);
            baselineWeighted += baselineErrors * canaryShare[j];
        }
        if (baselineWeighted <= 0) {
            return canaryWeighted > 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        return canaryWeighted / baselineWeighted;
    }
}
