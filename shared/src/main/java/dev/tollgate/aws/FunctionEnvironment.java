package dev.tollgate.aws;

import dev.tollgate.errors.TerminalException;
import java.util.Map;
import java.util.Optional;

/**
 * A function's environment variables, passed in rather than read from the process, so the local
 * stack can run every function in one JVM, each with the environment {@code template.yaml} gives it.
 */
public record FunctionEnvironment(Map<String, String> variables) {

    public static final String TABLE_NAME = "DEPLOYMENTS_TABLE";

    public FunctionEnvironment {
        variables = Map.copyOf(variables);
    }

    public static FunctionEnvironment fromProcess() {
        return new FunctionEnvironment(System.getenv());
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }

    public String get(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public int getInt(String name, int fallback) {
        return get(name)
                .map(value -> {
                    try {
                        return Integer.parseInt(value.trim());
                    } catch (NumberFormatException e) {
                        throw new MisconfiguredException(name + " must be a whole number, found '" + value + "'");
                    }
                })
                .orElse(fallback);
    }

    /** The region the function runs in (Lambda sets {@code AWS_REGION}). */
    public String region() {
        return get("AWS_REGION").orElse(get("AWS_DEFAULT_REGION", "us-east-1"));
    }

    public String require(String name) {
        return get(name)
                .orElseThrow(() -> new MisconfiguredException("environment variable " + name
                        + " is not set; template.yaml sets it for every function that needs it"));
    }

    /** The function was deployed without configuration it needs. */
    public static final class MisconfiguredException extends TerminalException {
        public MisconfiguredException(String message) {
            super(message);
        }
    }
}
