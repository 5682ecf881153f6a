package dev.tollgate.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollgate.priming.Priming;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
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
        if (Priming.active()) {
            // SnapStart priming: the same logger, context and serialisation, into a sink that drops the line.
            MetricsLogger logger = new MetricsLogger(new DroppedLines());
            write(point, logger);
            logger.flush();
            return;
        }
        MetricsUtils.withMetricsLogger(logger -> write(point, logger));
    }

    private void write(MetricPoint point, MetricsLogger logger) {
        logger.setNamespace(namespace);
        DimensionSet own = dimensions(point.dimensions());
        if (point.service() != null) {
            DimensionSet withService = dimensions(point.dimensions());
            withService.addDimension("Service", point.service());
            logger.setDimensions(own, withService);
        } else {
            logger.setDimensions(own);
        }
        logger.putMetric(
                point.name(), point.value(), point.unit() == MetricPoint.Unit.SECONDS ? Unit.SECONDS : Unit.COUNT);
        if (point.deploymentId() != null) {
            logger.putProperty("deploymentId", point.deploymentId());
        }
        if (point.executionArn() != null) {
            logger.putProperty("executionArn", point.executionArn());
        }
    }

    private static DimensionSet dimensions(Map<String, String> dimensions) {
        DimensionSet set = new DimensionSet();
        dimensions.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(dimension -> set.addDimension(dimension.getKey(), dimension.getValue()));
        return set;
    }

    /**
     * Where priming's lines go: the environment Lambda's EMF setting names ({@code AWS_EMF_ENVIRONMENT=Lambda} in
     * template.yaml, resolved from configuration alone) completes the context as on a real invocation; its sink
     * serialises each line as the console sink would, and drops it. Without that setting, no environment is resolved:
     * discovering one probes EC2's and ECS's metadata endpoints, which priming must not call.
     */
    private static final class DroppedLines extends EnvironmentProvider {
        @Override
        public CompletableFuture<Environment> resolveEnvironment() {
            Environment configured =
                    EnvironmentConfigurationProvider.getConfig().getEnvironmentOverride() == Environments.Lambda
                            ? super.resolveEnvironment().join()
                            : null;
            return CompletableFuture.completedFuture(new Environment() {
                @Override
                public boolean probe() {
                    return true;
                }

                @Override
                public String getName() {
                    return configured == null ? "priming" : configured.getName();
                }

                @Override
                public String getType() {
                    return configured == null ? "priming" : configured.getType();
                }

                @Override
                public String getLogGroupName() {
                    return configured == null ? "priming" : configured.getLogGroupName();
                }

                @Override
                public void configureContext(MetricsContext context) {
                    if (configured != null) {
                        configured.configureContext(context);
                    }
                }

                @Override
                public ISink getSink() {
                    return context -> {
                        try {
                            context.serialize();
                        } catch (JsonProcessingException e) {
                            throw new IllegalStateException("cannot serialise a metric", e);
                        }
                    };
                }
            });
        }
    }
}
