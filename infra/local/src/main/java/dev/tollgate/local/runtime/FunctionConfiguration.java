package dev.tollgate.local.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * One function as the local Lambda service runs it, from {@code template.yaml}: its name, its
 * {@code Handler} string, its deployable jar, memory, timeout, logging configuration and the
 * environment its code sees (Lambda's own reserved variables are added per execution environment).
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

    public FunctionConfiguration {
        environment = Map.copyOf(environment);
        if (memoryMb < 128 || timeoutSeconds < 1) {
            throw new IllegalArgumentException(name + ": memory " + memoryMb + " MB and timeout " + timeoutSeconds
                    + " s are outside what Lambda allows (at least 128 MB and 1 s)");
        }
    }

    boolean jsonLogs() {
        return "JSON".equalsIgnoreCase(logFormat);
    }
}
