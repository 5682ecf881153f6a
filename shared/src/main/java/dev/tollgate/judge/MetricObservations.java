package dev.tollgate.judge;

import dev.tollgate.spec.MetricSpec;

/**
 * What was read for one metric since the step began. For a RATIO metric the numerator and
 * denominator series are both present; for a STATISTIC only {@code canaryValues}/{@code baselineValues}.
 */
public record MetricObservations(
        MetricSpec metric,
        MetricSeries canaryNumerator,
        MetricSeries canaryDenominator,
        MetricSeries baselineNumerator,
        MetricSeries baselineDenominator,
        MetricSeries canaryValues,
        MetricSeries baselineValues) {

    public static MetricObservations ratio(MetricSpec metric, MetricSeries canaryNumerator, MetricSeries canaryDenominator,
                                           MetricSeries baselineNumerator, MetricSeries baselineDenominator) {
        return new MetricObservations(metric, canaryNumerator, canaryDenominator, baselineNumerator, baselineDenominator,
                MetricSeries.EMPTY, MetricSeries.EMPTY);
    }

    public static MetricObservations statistic(MetricSpec metric, MetricSeries canaryValues, MetricSeries baselineValues) {
        return new MetricObservations(metric, MetricSeries.EMPTY, MetricSeries.EMPTY, MetricSeries.EMPTY, MetricSeries.EMPTY,
                canaryValues, baselineValues);
    }
}
