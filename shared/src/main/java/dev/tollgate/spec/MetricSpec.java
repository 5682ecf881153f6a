package dev.tollgate.spec;

import java.util.Map;

/**
 * One metric compared between canary and baseline. A {@code RATIO} divides two summed metrics
 * (errors over requests); a {@code STATISTIC} compares one CloudWatch statistic ({@code p99},
 * {@code Average}, ...) of {@code namespace}/{@code metric}. Dimensions are resolved: the
 * analysis-level defaults are already copied in.
 */
public record MetricSpec(
        String name,
        MetricKind kind,
        MetricRef numerator,
        MetricRef denominator,
        String namespace,
        String metric,
        String stat,
        Map<String, String> canaryDimensions,
        Map<String, String> baselineDimensions,
        Direction direction,
        double tolerance,
        boolean critical) {

    public MetricSpec {
        canaryDimensions = Map.copyOf(canaryDimensions);
        baselineDimensions = Map.copyOf(baselineDimensions);
    }

    public enum MetricKind { RATIO, STATISTIC }

    public enum Direction { INCREASE_IS_BAD, DECREASE_IS_BAD }

    /** A CloudWatch metric without its dimensions (those differ between canary and baseline). */
    public record MetricRef(String namespace, String metric) {
    }
}
