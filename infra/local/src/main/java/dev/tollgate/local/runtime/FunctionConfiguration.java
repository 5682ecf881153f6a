package dev.tollgate.local.runtime;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One function as the local Lambda service runs it, from {@code template.yaml}: its name, its
 * {@code Handler} string, its deployable jar, memory, timeout, logging configuration and the
 * environment its code sees (Lambda's own reserved variables are added by {@link #lambdaEnvironment}).
 *
 * @param logFormat {@code JSON} or {@code Text} ({@code LoggingConfig.LogFormat})
 * @param logLevel the application log level ({@code LoggingConfig.ApplicationLogLevel}), empty when not set
 */
public record FunctionConfiguration(
        String name,
        String functionArn,
        String handler,
        Path jar,
        int memoryMb,
        int timeoutSeconds,
        String logFormat,
        String logLevel,
        Map<String, String> environment) {

    /** Lambda's Java runtime environment: what {@code AWS_EXECUTION_ENV} says to the SDK's user agent. */
    private static final String EXECUTION_ENV = "AWS_Lambda_java21";

    private static final DateTimeFormatter LOG_STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    public FunctionConfiguration {
        environment = Map.copyOf(environment);
        if (memoryMb < 128 || timeoutSeconds < 1) {
            throw new IllegalArgumentException(name + ": memory " + memoryMb + " MB and timeout " + timeoutSeconds
                    + " s are outside what Lambda allows (at least 128 MB and 1 s)");
        }
    }

    /**
     * The environment a function's code sees on Lambda, its package unpacked at {@code taskRoot}: the template's, then
     * Lambda's reserved variables, which a function cannot override (the log level that Powertools applies to every
     * logger among them), without the Runtime API's address, which only a runtime reads. The cold-start benchmark gives
     * its probes the same.
     *
     * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime">Defined runtime environment variables</a>
     */
    public Map<String, String> lambdaEnvironment(Path taskRoot) {
        Map<String, String> environment = new LinkedHashMap<>(this.environment);
        environment.put("_HANDLER", handler);
        environment.put("AWS_EXECUTION_ENV", EXECUTION_ENV);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", name);
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memoryMb));
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        environment.put(
                "AWS_LAMBDA_LOG_STREAM_NAME",
                LocalDate.now(ZoneOffset.UTC).format(LOG_STREAM_DATE) + "/[$LATEST]"
                        + UUID.randomUUID().toString().replace("-", ""));
        environment.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        if (jsonLogs()) {
            environment.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
            if (!logLevel.isBlank()) {
                environment.put("AWS_LAMBDA_LOG_LEVEL", logLevel);
            }
        }
        environment.put("TZ", ":UTC");
        environment.put("LANG", "en_US.UTF-8");
        environment.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        environment.putIfAbsent("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        return environment;
    }

    boolean jsonLogs() {
        return "JSON".equalsIgnoreCase(logFormat);
    }
}
