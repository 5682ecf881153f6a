package dev.tollgate.telemetry;

import java.util.Map;

/**
 * One CloudWatch data point Tollgate emits: a metric of the {@code Tollgate} namespace, the
 * dimensions that qualify it (beyond {@code Service}), and the deployment it came from, which is
 * kept as a searchable log property rather than a dimension (one metric per deployment would cost
 * without helping a graph).
 */
public record MetricPoint(
        String name,
        double value,
        Unit unit,
        Map<String, String> dimensions,
        String service,
        String deploymentId,
        String executionArn) {

    public MetricPoint {
        dimensions = Map.copyOf(dimensions);
    }

    /** The CloudWatch units Tollgate uses. */
    public enum Unit {
        COUNT,
        SECONDS
    }
}
