package dev.tollgate.telemetry;

import java.util.Map;
import software.amazon.lambda.powertools.logging.LoggingUtils;
import software.amazon.lambda.powertools.tracing.TracingUtils;

/**
 * The correlation of the invocation running on this thread: its keys go on every log line (through
 * Powertools' log context) and on the function's X-Ray subsegment (as annotations, so traces can be
 * searched by deployment). Thread-bound like the log context itself, so the local stack can run many
 * functions at once in one JVM.
 */
public final class InvocationContext {

    private static final ThreadLocal<Correlation> CURRENT = new ThreadLocal<>();

    private InvocationContext() {}

    /** Starts an invocation's context; close the scope when the invocation ends, however it ends. */
    public static Scope open(Correlation correlation) {
        CURRENT.set(correlation);
        Map<String, String> keys = correlation.logKeys();
        // Powertools puts its own "service" (POWERTOOLS_SERVICE_NAME) first; here "service" is the service being
        // deployed.
        LoggingUtils.removeKey(Correlation.SERVICE);
        LoggingUtils.appendKeys(keys);
        annotate(Correlation.DEPLOYMENT_ID, correlation.deploymentId());
        annotate(Correlation.SERVICE, correlation.service());
        annotate(Correlation.STATE, correlation.state());
        return new Scope(keys);
    }

    /** The running invocation's correlation, or {@link Correlation#NONE} outside one. */
    public static Correlation current() {
        Correlation correlation = CURRENT.get();
        return correlation == null ? Correlation.NONE : correlation;
    }

    private static void annotate(String key, String value) {
        if (value != null) {
            TracingUtils.putAnnotation(key, value);
        }
    }

    /** Ends the invocation's context: its keys leave the log context, so a warm container's next invocation starts clean. */
    public static final class Scope implements AutoCloseable {
        private final Map<String, String> keys;

        private Scope(Map<String, String> keys) {
            this.keys = keys;
        }

        @Override
        public void close() {
            LoggingUtils.removeKeys(keys.keySet().toArray(String[]::new));
            CURRENT.remove();
        }
    }
}
