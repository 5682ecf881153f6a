package dev.tollgate.bench.oracle;

import dev.tollgate.bench.scenario.LatencyShape;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Effect;
import dev.tollgate.bench.scenario.Scenario.Period;
import dev.tollgate.bench.scenario.Scenario.Side;
import dev.tollgate.bench.scenario.Scenario.Tolerance;
import java.util.OptionalInt;

/**
 * The floor no judge can beat on average: Wald's sequential probability ratio test of "the canary
 * at the tolerance boundary" against "the canary as the generator really made it", started at the
 * true onset, on the scenario's own data. Among all tests with the same false-alarm rate the SPRT
 * needs the fewest periods on average to detect that alternative (Wald and Wolfowitz, 1948), and no
 * real judge knows the alternative, the onset or the noise; so a judge's detection time is read
 * against this one.
 *
 * <p>Errors: the canary's errors given the period's total are binomial (as in Tollgate's own
 * test), with the rate ratio at the boundary against the true ratio. Latency: the logs of the
 * canary/baseline ratios of p95 and p99 are jointly normal around the true factors, with the
 * covariance the generator's sampler really has: each side's sample quantiles of its own
 * {@link LatencyShape} (variance slope(z)²·p(1 − p)/(n φ(z)²), the two correlated as two order
 * statistics of one sample are, so a canary with a stretched tail has a noisier p99), plus each
 * side's own wobble of its median, common to both percentiles. The boundary hypothesis moves each
 * percentile the effect pushes beyond its boundary back to that boundary and leaves the other where
 * it is (it still helps, through its correlation). The first period whose summed log-likelihood
 * ratio reaches log(1/alpha) is the oracle's detection; none within the budget is empty.
 */
public final class OracleSprt {

    private OracleSprt() {}

    /** The 1-based period at which the oracle detects the scenario's regression, or empty if it does not within the budget. */
    public static OptionalInt detectionPeriod(Scenario scenario) {
        Effect effect = scenario.effect();
        if (effect == null || scenario.truth() != Scenario.Truth.REGRESSION) {
            return OptionalInt.empty();
        }
        double threshold = Math.log(1 / scenario.falsePositiveRate());
        double errorBoundary = 1 + scenario.tolerance().errorRate();
        boolean errorsRegressed = effect.errorRatio() > errorBoundary;
        double logLikelihoodRatio = 0;
        for (int k = effect.onsetPeriod(); k < scenario.replayPeriods(); k++) {
            Period period = scenario.periods().get(k);
            if (errorsRegressed) {
                logLikelihoodRatio += errors(period, errorBoundary, effect.errorRatio());
            }
            logLikelihoodRatio += latency(period, scenario.tolerance(), effect);
            if (logLikelihoodRatio >= threshold) {
                return OptionalInt.of(k + 1);
            }
        }
        return OptionalInt.empty();
    }

    /** log L(true ratio) / L(boundary) of the canary's share of the period's errors. */
    static double errors(Period period, double boundary, double trueRatio) {
        Side canary = period.canary();
        Side baseline = period.baseline();
        if (!counted(canary) || !counted(baseline) || canary.requests() <= 0 || baseline.requests() <= 0) {
            return 0;
        }
        double share = canary.requests() / (canary.requests() + baseline.requests());
        double total = canary.errors() + baseline.errors();
        return canary.errors() * Math.log(trueRatio / boundary)
                - total * (Math.log1p(share * (trueRatio - 1)) - Math.log1p(share * (boundary - 1)));
    }

    /**
     * log L(true factors) / L(boundary) of the period's log canary/baseline ratios of p95 and p99,
     * jointly normal with the sampler's covariance ({@link #ratioCovariance}); a percentile missing on
     * either side leaves the other alone; 0 when the effect pushes neither beyond its boundary.
     */
    static double latency(Period period, Tolerance tolerance, Effect effect) {
        double[] truth = {Math.log(effect.p95Factor()), Math.log(effect.p99Factor())};
        double[] boundary = {
            Math.min(truth[0], Math.log(1 + tolerance.p95())), Math.min(truth[1], Math.log(1 + tolerance.p99()))
        };
        Side canary = period.canary();
        Side baseline = period.baseline();
        if ((truth[0] == boundary[0] && truth[1] == boundary[1]) || !sized(canary) || !sized(baseline)) {
            return 0;
        }
        double[] observed = {logRatio(canary.p95(), baseline.p95()), logRatio(canary.p99(), baseline.p99())};
        double[][] covariance = ratioCovariance(canary.requests(), baseline.requests(), effect);
        boolean[] present = {!Double.isNaN(observed[0]), !Double.isNaN(observed[1])};
        return (quadraticForm(observed, boundary, covariance, present)
                        - quadraticForm(observed, truth, covariance, present))
                / 2;
    }

    /**
     * The covariance of (ln p95 ratio, ln p99 ratio) in a period with these request counts: each side's
     * sample quantiles of its shape (the canary's the effect's, the baseline's the plain log-normal) plus
     * each side's wobble of its median, which moves both percentiles alike.
     */
    static double[][] ratioCovariance(double canaryRequests, double baselineRequests, Effect effect) {
        double[][] canary = sideCovariance(
                canaryRequests,
                LatencyShape.scaled(effect.latencySpread(), effect.p95Factor(), effect.p99Factor()),
                effect.sideLatencyNoise());
        double[][] baseline = sideCovariance(
                baselineRequests, LatencyShape.logNormal(effect.latencySpread()), effect.sideLatencyNoise());
        return new double[][] {
            {canary[0][0] + baseline[0][0], canary[0][1] + baseline[0][1]},
            {canary[1][0] + baseline[1][0], canary[1][1] + baseline[1][1]}
        };
    }

    /** One side's covariance of its log p95 and log p99 from n values of this shape, plus its median's wobble. */
    static double[][] sideCovariance(double n, LatencyShape shape, double wobble) {
        double slope95 = shape.slope(LatencyShape.Z95) / density(LatencyShape.Z95);
        double slope99 = shape.slope(LatencyShape.Z99) / density(LatencyShape.Z99);
        double common = wobble * wobble;
        double covariance = slope95 * slope99 * 0.95 * (1 - 0.99) / n + common;
        return new double[][] {
            {slope95 * slope95 * 0.95 * 0.05 / n + common, covariance},
            {covariance, slope99 * slope99 * 0.99 * 0.01 / n + common}
        };
    }

    /** (x − μ)ᵀ Σ⁻¹ (x − μ) over the coordinates present. */
    private static double quadraticForm(double[] x, double[] mean, double[][] covariance, boolean[] present) {
        double d0 = x[0] - mean[0];
        double d1 = x[1] - mean[1];
        if (present[0] && present[1]) {
            double determinant = covariance[0][0] * covariance[1][1] - covariance[0][1] * covariance[1][0];
            return (covariance[1][1] * d0 * d0 - 2 * covariance[0][1] * d0 * d1 + covariance[0][0] * d1 * d1)
                    / determinant;
        }
        return (present[0] ? d0 * d0 / covariance[0][0] : 0) + (present[1] ? d1 * d1 / covariance[1][1] : 0);
    }

    private static double logRatio(Double canary, Double baseline) {
        return canary == null || baseline == null || !(canary > 0) || !(baseline > 0)
                ? Double.NaN
                : Math.log(canary / baseline);
    }

    private static boolean sized(Side side) {
        return side != null && side.requests() != null && side.requests() > 0;
    }

    private static double density(double z) {
        return Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    }

    private static boolean counted(Side side) {
        return side != null && side.requests() != null && side.errors() != null;
    }
}
