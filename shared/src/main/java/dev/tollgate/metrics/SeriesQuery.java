package dev.tollgate.metrics;

import java.util.Map;

/** One CloudWatch series to read: which metric, with which dimensions, under which statistic. */
public record SeriesQuery(String id, String namespace, String metric, Map<String, String> dimensions, String stat) {

    public SeriesQuery {
        dimensions = Map.copyOf(dimensions);
    }
}
