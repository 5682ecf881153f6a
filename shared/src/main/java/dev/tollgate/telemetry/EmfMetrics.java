package dev.tollgate.telemetry;

import java.util.Map;
import java.util.function.Consumer;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.lambda.powertools.metrics.MetricsUtils;

/**
 * Writes each point as one line in CloudWatch's embedded metric format (EMF) on the function's
 * standard output, where Lambda's log delivery turns it into a metric: no PutMetricData call, no
 * permission, nothing to batch. Uses Powertools' programmatic API (a fresh logger per point, flushed
 * at once) rather than its {@code @Metrics} aspect, whose one logger per JVM is shared by every
 * thread and flushed when the handler returns: points of concurrent invocations (the local stack
 * runs every function in one JVM) would mix, and a point would wait for the end of its invocation.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">EMF</a>
 */
public final class EmfMetrics implements Consumer<MetricPoint> {

    private final String namespace;

    public EmfMetrics(String namespace) {
        this.namespace = namespace;
    }

    @Override
    public void accept(MetricPoint point) {
        MetricsUtils.withMetricsLogger(logger -> {
            logger.setNamespace(namespace);
            DimensionSet own = dimensions(point.dimensions());
            if (point.service() != null) {
                DimensionSet withService = dimensions(point.dimensions());
                withService.addDimension("Service", point.service());
                logger.setDimensions(own, withService);
            } else {
                logger.setDimensions(own);
            }
            logger.putMetric(point.name(), point.value(), point.unit() == MetricPoint.Unit.SECONDS ? Unit.SECONDS : Unit.COUNT);
            if (point.deploymentId() != null) {
                logger.putProperty("deploymentId", point.deploymentId());
            }
            if (point.executionArn() != null) {
                logger.putProperty("executionArn", point.executionArn());
            }
        });
    }

    private static DimensionSet dimensions(Map<String, String> dimensions) {
        DimensionSet set = new DimensionSet();
        dimensions.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(dimension -> set.addDimension(dimension.getKey(), dimension.getValue()));
        return set;
    }
}
