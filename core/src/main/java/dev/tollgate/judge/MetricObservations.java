package dev.tollgate.judge;

import dev.tollgate.spec.MetricSpec;

/**
 * What was read for one metric since the step began. For a RATIO metric the numerator and
 * denominator series are both present; for a STATISTIC {@code canaryValues}/{@code baselineValues},
 * and, where the statistic's noise shrinks with the number of values behind it (a percentile, an
 * average), how many there were ({@code canarySamples}/{@code baselineSamples}, CloudWatch's
 * SampleCount; empty when unknown).
 */
public record MetricObservations(
        MetricSpec metric,
        MetricSeries canaryNumerator,
        MetricSeries canaryDenominator,
        MetricSeries baselineNumerator,
        MetricSeries baselineDenominator,
        MetricSeries canaryValues,
        MetricSeries baselineValues,
        MetricSeries canarySamples,
        MetricSeries baselineSamples) {

    /** Whether the judge weighs this metric's periods by their sample counts: a percentile or an average. */
    public static boolean usesSampleCounts(MetricSpec metric) {
        return metric.kind() == MetricSpec.MetricKind.STATISTIC
                && Double.isFinite(PercentileShape.samplingConstant(metric.stat()));
    }

    public static MetricObservations ratio(
            MetricSpec metric,
            MetricSeries canaryNumerator,
            MetricSeries canaryDenominator,
            MetricSeries baselineNumerator,
            MetricSeries baselineDenominator) {
        return new MetricObservations(
                metric,
                canaryNumerator,
                canaryDenominator,
                baselineNumerator,
                baselineDenominator,
                MetricSeries.EMPTY,
                MetricSeries.EMPTY,
                MetricSeries.EMPTY,
                MetricSeries.EMPTY);
    }

    public static MetricObservations statistic(
            MetricSpec metric, MetricSeries canaryValues, MetricSeries baselineValues) {
        return statistic(metric, canaryValues, baselineValues, MetricSeries.EMPTY, MetricSeries.EMPTY);
    }

    public static MetricObservations statistic(
            MetricSpec metric,
            MetricSeries canaryValues,
            MetricSeries baselineValues,
            MetricSeries canarySamples,
            MetricSeries baselineSamples) {
        return new MetricObservations(
                metric,
                MetricSeries.EMPTY,
                MetricSeries.EMPTY,
                MetricSeries.EMPTY,
                MetricSeries.EMPTY,
                canaryValues,
                baselineValues,
                canarySamples,
                baselineSamples);
    }
}
