package dev.tollgate.judge;

import java.util.List;

/**
 * How noisy a percentile read from n requests is, from the shape of the distribution it comes
 * from. The log of a sample percentile p of n values has variance p(1 − p)·(d ln q / dp)² / n; for a
 * log-normal of spread s that is k_p²·s²/n with k_p² = p(1 − p)/φ(z_p)² ({@link #samplingConstant}).
 *
 * <p><b>The spread from two percentiles.</b> A second percentile of the same latency, read for the
 * same side and period (the p95 beside a p99: its <i>companion</i>), fixes the spread of the
 * log-normal through both, s = ln(q_hi / q_lo) / (z_hi − z_lo), which is what the data say about the
 * tail's slope instead of an assumed spread. Each side gets its own:
 * <ul>
 *   <li>the baseline's, pooled over the periods before (weighted by their sample counts), raised by
 *       {@link #CONFIDENCE_WIDTHS} standard errors of that estimate (the log difference of two
 *       sample quantiles of m values has variance s²·(k_hi² + k_lo² − 2ρ·k_hi·k_lo)/m, with ρ the
 *       distribution-free correlation of sample quantiles, √(lo(1 − hi)/(hi(1 − lo))));</li>
 *   <li>the canary's, the larger of that and its own pooled spread from the periods before, raised
 *       the same way (a canary whose tail is heavier than the baseline's is weighed by its own).</li>
 * </ul>
 * Only periods before each one count, so each period's bound is fixed before its values are seen
 * (what keeps the shift test a supermartingale); the first period has the spread set in advance.
 * <b>Tails heavier than log-normal.</b> A log-normal fitted through two percentiles underestimates
 * the slope beyond them when the tail is heavier; for a power-law (Pareto) tail, the heaviest the
 * bound is meant to cover, the p99's variance from a p95/p99 fit is 1.27 times the fit's. The bound
 * is multiplied by {@link #heavyTailMargin}, the larger of 1 and that ratio for the levels at hand,
 * so it holds for any tail from log-normal to Pareto. Without a companion, or where no spread can
 * be read, the spread is the one set in advance, {@link #PRIOR_SPREAD}.
 */
final class PercentileShape {

    /** The log-normal spread assumed where no two percentiles show it: a p99 about 5.7 times the median. */
    static final double PRIOR_SPREAD = 0.6;
    /** The baseline's spread is taken this many standard errors above its estimate (a one-sided 97.7 % bound). */
    static final double CONFIDENCE_WIDTHS = 2;

    private PercentileShape() {}

    /** A percentile's level (p95: 0.95), or NaN for any other statistic or a level not strictly inside (0, 1). */
    static double level(String stat) {
        if (stat == null || !stat.matches("p\\d{1,2}(\\.\\d+)?")) {
            return Double.NaN;
        }
        double level = Double.parseDouble(stat.substring(1)) / 100;
        return level > 0 && level < 1 ? level : Double.NaN;
    }

    /**
     * k² of a statistic: the sampling variance, times n, of the log of its estimate from n values
     * of a log-normal of unit spread. A percentile pNN: p(1 − p)/φ(z_p)²; an average: 1 (its
     * coefficient of variation, near the spread for spreads below 1). NaN for statistics whose
     * noise does not shrink as 1/n (Sum, SampleCount, Minimum, Maximum, p0, p100).
     */
    static double samplingConstant(String stat) {
        if ("Average".equals(stat)) {
            return 1.0;
        }
        double level = level(stat);
        return Double.isNaN(level) ? Double.NaN : samplingConstantAt(level);
    }

    /** The spread of the log-normal through two percentiles of one side and period; NaN unless both are positive. */
    static double spread(double value, double level, double companionValue, double companionLevel) {
        if (!(value > 0)
                || !(companionValue > 0)
                || !Double.isFinite(value)
                || !Double.isFinite(companionValue)
                || level == companionLevel) {
            return Double.NaN;
        }
        return Math.log(value / companionValue) / (inverseNormal(level) - inverseNormal(companionLevel));
    }

    /**
     * How much more than a log-normal fitted through the two levels a Pareto tail makes the
     * variance of the tested percentile, when that is more (1 otherwise). With tail shares
     * t = 1 − p (or p below the median): a Pareto's is p(1 − p)/(a·t)² per value, the fit's
     * k_p²·(ln(t_lo/t_hi)/(z_hi − z_lo))²/a², whatever the tail index a.
     */
    static double heavyTailMargin(double level, double companionLevel) {
        double tail = tail(level);
        double companionTail = tail(companionLevel);
        if (tail == companionTail || (level - 0.5) * (companionLevel - 0.5) < 0) {
            return 1;
        }
        double fittedSlope = Math.log(tail / companionTail) / (zOfTail(tail) - zOfTail(companionTail));
        double density = density(zOfTail(tail));
        double fitted = level * (1 - level) / (density * density) * fittedSlope * fittedSlope;
        double pareto = level * (1 - level) / (tail * tail);
        return Math.max(1, pareto / fitted);
    }

    /** The standard error of a spread read from the two levels, relative to the spread, times √(sample count). */
    static double relativeSpreadError(double level, double companionLevel) {
        double low = Math.min(level, companionLevel);
        double high = Math.max(level, companionLevel);
        double kLow = Math.sqrt(samplingConstantAt(low));
        double kHigh = Math.sqrt(samplingConstantAt(high));
        double correlation = Math.sqrt(low * (1 - high) / (high * (1 - low)));
        double variance = kLow * kLow + kHigh * kHigh - 2 * correlation * kLow * kHigh;
        return Math.sqrt(variance) / Math.abs(inverseNormal(high) - inverseNormal(low));
    }

    /**
     * The bound on the sampling variance of each period's log ratio ln(canary / baseline) of the
     * statistic {@code stat}, k²·(s_canary²/n + s_baseline²/m) (times the heavy-tail margin where
     * the spreads were read from the data), the spreads read as the class comment says from the
     * periods <b>before</b> each one, so each period's bound is set before its values are seen.
     * NaN for a period whose sample counts are unknown, or a statistic whose noise does not shrink
     * with its sample count.
     */
    static double[] samplingVariances(List<PairedPeriods.Values> periods, String stat, String companionStat) {
        double constant = samplingConstant(stat);
        double level = level(stat);
        double companionLevel = level(companionStat);
        boolean shaped = !Double.isNaN(level) && !Double.isNaN(companionLevel) && level != companionLevel;
        double margin = shaped ? heavyTailMargin(level, companionLevel) : 1;
        double error = shaped ? relativeSpreadError(level, companionLevel) : Double.NaN;
        double[] variances = new double[periods.size()];
        PooledSpread baseline = new PooledSpread();
        PooledSpread canary = new PooledSpread();
        for (int i = 0; i < periods.size(); i++) {
            PairedPeriods.Values period = periods.get(i);
            double baselineSpread = baseline.upperBound(error);
            // A canary whose tail is heavier than the baseline's is weighed by its own.
            double canarySpread =
                    canary.isEmpty() ? baselineSpread : Math.max(baselineSpread, canary.upperBound(error));
            double fitMargin = baseline.isEmpty() ? 1 : margin;
            variances[i] = constant
                    * fitMargin
                    * (canarySpread * canarySpread / period.canarySamples()
                            + baselineSpread * baselineSpread / period.baselineSamples());
            if (shaped) {
                baseline.add(
                        spread(period.baseline(), level, period.baselineCompanion(), companionLevel),
                        period.baselineSamples());
                canary.add(
                        spread(period.canary(), level, period.canaryCompanion(), companionLevel),
                        period.canarySamples());
            }
        }
        return variances;
    }

    /** One side's spread, pooled over periods weighted by their sample counts. */
    private static final class PooledSpread {
        private double weighted;
        private double weight;

        void add(double spread, double samples) {
            if (Double.isFinite(spread) && spread > 0 && samples > 0 && Double.isFinite(samples)) {
                weighted += samples * spread;
                weight += samples;
            }
        }

        boolean isEmpty() {
            return weight == 0;
        }

        /** The pooled spread raised by {@link #CONFIDENCE_WIDTHS} standard errors; {@link #PRIOR_SPREAD} before any. */
        double upperBound(double relativeError) {
            return isEmpty()
                    ? PRIOR_SPREAD
                    : weighted / weight * (1 + CONFIDENCE_WIDTHS * relativeError / Math.sqrt(weight));
        }
    }

    private static double samplingConstantAt(double level) {
        double density = density(inverseNormal(level));
        return level * (1 - level) / (density * density);
    }

    private static double tail(double level) {
        return level >= 0.5 ? 1 - level : level;
    }

    private static double zOfTail(double tail) {
        return -inverseNormal(tail);
    }

    private static double density(double z) {
        return Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    }

    /** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
    static double inverseNormal(double p) {
        double[] a = {
            -3.969683028665376e+01,
            2.209460984245205e+02,
            -2.759285104469687e+02,
            1.383577518672690e+02,
            -3.066479806614716e+01,
            2.506628277459239e+00
        };
        double[] b = {
            -5.447609879822406e+01,
            1.615858368580409e+02,
            -1.556989798598866e+02,
            6.680131188771972e+01,
            -1.328068155288572e+01
        };
        double[] c = {
            -7.784894002430293e-03,
            -3.223964580411365e-01,
            -2.400758277161838e+00,
            -2.549732539343734e+00,
            4.374664141464968e+00,
            2.938163982698783e+00
        };
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
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
