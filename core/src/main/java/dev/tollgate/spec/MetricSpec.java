package dev.tollgate.spec;

import java.util.Map;

/**
 * One metric compared between canary and baseline. A {@code RATIO} divides two summed metrics
 * (errors over requests); a {@code STATISTIC} compares one CloudWatch statistic ({@code p99},
 * {@code Average}, ...) of {@code namespace}/{@code metric}. Dimensions are resolved: the
 * analysis-level defaults are already copied in. A {@code dryRun} metric is judged and shown every
 * tick but never fails, passes or holds a step (docs/replay-and-plan.md#dry-run-checks).
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
        boolean critical,
        boolean dryRun) {

    public MetricSpec {
        canaryDimensions = Map.copyOf(canaryDimensions);
        baselineDimensions = Map.copyOf(baselineDimensions);
    }

    /** A metric that takes part in the step's decision. */
    public MetricSpec(
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
        this(
                name,
                kind,
                numerator,
                denominator,
                namespace,
                metric,
                stat,
                canaryDimensions,
                baselineDimensions,
                direction,
                tolerance,
                critical,
                false);
    }

    public enum MetricKind {
        RATIO,
        STATISTIC
    }

    public enum Direction {
        INCREASE_IS_BAD,
        DECREASE_IS_BAD
    }

    /** A CloudWatch metric without its dimensions (those differ between canary and baseline). */
    public record MetricRef(String namespace, String metric) {}
}
