package dev.tollgate.bench.oracle;

import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Effect;
import dev.tollgate.bench.scenario.Scenario.Period;
import dev.tollgate.bench.scenario.Scenario.Side;
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
 * test), with the rate ratio at the boundary against the true ratio. Latency: the log of each
 * side's p95 and p99 is normal around the true value with the variance the generator's sampler
 * really has (a sample quantile of n log-normal latencies: spread² p(1 − p) / (n φ(z)²), plus each
 * side's own wobble of its median); p95 and p99 count jointly, as independent. A metric the effect
 * does not push beyond its boundary adds nothing. The first period whose summed log-likelihood
 * ratio reaches log(1/alpha) is the oracle's detection; none within the budget is empty.
 */
public final class OracleSprt {

    private static final double Z95 = 1.6448536269514722;
    private static final double Z99 = 2.3263478740408408;

    private OracleSprt() {
    }

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
            logLikelihoodRatio += percentile(period, Side::p95, 0.95, Z95, 1 + scenario.tolerance().p95(), effect.p95Factor(), effect);
            logLikelihoodRatio += percentile(period, Side::p99, 0.99, Z99, 1 + scenario.tolerance().p99(), effect.p99Factor(), effect);
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

    /** log L(true factor) / L(boundary) of one percentile's log canary/baseline ratio, normal with its sampling variance. */
    static double percentile(Period period, java.util.function.Function<Side, Double> field, double level, double z, double boundary,
                             double trueFactor, Effect effect) {
        if (trueFactor <= boundary) {
            return 0;
        }
        Side canary = period.canary();
        Side baseline = period.baseline();
        if (canary == null || baseline == null || canary.requests() == null || baseline.requests() == null
                || canary.requests() <= 0 || baseline.requests() <= 0 || field.apply(canary) == null || field.apply(baseline) == null) {
            return 0;
        }
        double observed = Math.log(field.apply(canary) / field.apply(baseline));
        double variance = sampleQuantileVariance(canary.requests(), level, z, effect.latencySpread())
                + sampleQuantileVariance(baseline.requests(), level, z, effect.latencySpread())
                + 2 * effect.sideLatencyNoise() * effect.sideLatencyNoise();
        double underBoundary = Math.log(boundary);
        double underTruth = Math.log(trueFactor);
        return ((observed - underBoundary) * (observed - underBoundary) - (observed - underTruth) * (observed - underTruth))
                / (2 * variance);
    }

    /** The variance of the log of a sample quantile of n log-normal values with this spread. */
    static double sampleQuantileVariance(double n, double level, double z, double spread) {
        double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        return spread * spread * level * (1 - level) / (n * density * density);
    }

    private static boolean counted(Side side) {
        return side != null && side.requests() != null && side.errors() != null;
    }
}
