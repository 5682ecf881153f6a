package dev.tollgate.bench.scenario;

/**
 * One side's latency distribution, as the generator draws it: a log-normal of spread s around its
 * median, which a canary may shift and, from its p90 up, stretch. Written as the log latency over
 * the median at the standard-normal quantile z:
 * <pre>
 *   ln(q(z) / median) = s·z + shift + stretch·max(0, z − z90)
 * </pre>
 * with the shift and stretch chosen so that the p95 and p99 are exactly the effect's factors times
 * the baseline's (stretch = ln(p99Factor / p95Factor) / (z99 − z95)). A canary whose p99 grows more
 * than its p95 has a heavier tail: above its p90 its log latency climbs at s + stretch per unit of
 * z, so its sample p99 is noisier than the baseline's at the same request count, as a real heavier
 * tail's is. (The kink sits at the p90, below both percentiles, so each sample percentile's noise is
 * set by one slope.) A factor common to both percentiles is a plain shift: slope s everywhere.
 *
 * <p>Drawing a latency as {@code median · exp(logLatency(Z))} with Z standard normal, and a sample
 * percentile as the shape at the matching normal order statistic, is what makes the percentiles'
 * noise the noise of real samples of this distribution.
 */
public record LatencyShape(double spread, double shift, double stretch) {

    public static final double Z90 = 1.2815515655446004;
    public static final double Z95 = 1.6448536269514722;
    public static final double Z99 = 2.3263478740408408;

    public LatencyShape {
        if (!(spread > 0) || !(spread + stretch > 0)) {
            throw new IllegalArgumentException(
                    "a latency shape must grow with its quantile: spread " + spread + ", tail stretch " + stretch);
        }
    }

    /** The baseline's shape: a log-normal of this spread. */
    public static LatencyShape logNormal(double spread) {
        return new LatencyShape(spread, 0, 0);
    }

    /** The shape whose p95 and p99 are these factors times those of a log-normal of this spread. */
    public static LatencyShape scaled(double spread, double p95Factor, double p99Factor) {
        double stretch = Math.log(p99Factor / p95Factor) / (Z99 - Z95);
        return new LatencyShape(spread, Math.log(p95Factor) - stretch * (Z95 - Z90), stretch);
    }

    /** ln(latency / median) at the standard-normal quantile z. */
    public double logLatency(double z) {
        return spread * z + shift + stretch * Math.max(0, z - Z90);
    }

    /** d ln(latency) / dz at z: what a sample quantile's error in z is multiplied by. */
    public double slope(double z) {
        return spread + (z > Z90 ? stretch : 0);
    }
}
