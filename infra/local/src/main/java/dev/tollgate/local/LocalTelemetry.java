package dev.tollgate.local;

import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;

/**
 * Tracing and metrics in the local stack's own JVM (the demo, the ops commands, the tests), which is not
 * Lambda: no X-Ray trace is ever open here (no daemon, no Lambda facade segment), so the SDK's X-Ray
 * interceptor, which sees every AWS call of this JVM, must find none and say nothing (the default strategy
 * logs an error per call); and EMF must write to standard output instead of probing for an EC2 or ECS
 * host. The functions themselves run in JVMs of their own under the Lambda runtime interface client.
 */
final class LocalTelemetry {

    static final String XRAY_CONTEXT_MISSING = "com.amazonaws.xray.strategy.contextMissingStrategy";

    private LocalTelemetry() {}

    static synchronized void configure() {
        if (System.getProperty(XRAY_CONTEXT_MISSING) == null && System.getenv("AWS_XRAY_CONTEXT_MISSING") == null) {
            System.setProperty(XRAY_CONTEXT_MISSING, "IGNORE_ERROR");
        }
        EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Lambda);
    }
}
