package dev.tollgate.judge;

import java.time.Instant;
import java.util.List;

/**
 * One metric's values per period, oldest first. A period with no data point is absent rather than
 * zero: missing data must never read as "no errors".
 */
public record MetricSeries(List<Instant> timestamps, List<Double> values) {

    public static final MetricSeries EMPTY = new MetricSeries(List.of(), List.of());

    public MetricSeries {
        timestamps = List.copyOf(timestamps);
        values = List.copyOf(values);
        if (timestamps.size() != values.size()) {
            throw new IllegalArgumentException("timestamps and values differ in length");
        }
    }

    public double sum() {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
