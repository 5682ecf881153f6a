package dev.tollgate.priming;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.message.Message;

/**
 * While SnapStart priming runs, no log line: a filter on Log4j's whole configuration (ahead of every logger, the SDK's
 * through SLF4J included) that refuses every line on a priming thread and leaves other threads alone. It is on the
 * configuration only while a warm-up runs, so the real invocations' logging is exactly as configured.
 */
final class SilentLog extends AbstractFilter implements AutoCloseable {

    private final Configuration configuration;

    private SilentLog(Configuration configuration) {
        this.configuration = configuration;
    }

    /** Silences the priming thread's logging until {@link #close()}. */
    static SilentLog install() {
        Configuration configuration = ((LoggerContext) LogManager.getContext(false)).getConfiguration();
        SilentLog filter = new SilentLog(configuration);
        filter.start();
        configuration.addFilter(filter);
        return filter;
    }

    @Override
    public void close() {
        configuration.removeFilter(this);
        stop();
    }

    private static Result decide() {
        return Priming.active() ? Result.DENY : Result.NEUTRAL;
    }

    @Override
    public Result filter(LogEvent event) {
        return decide();
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String message, Object... parameters) {
        return decide();
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Object message, Throwable thrown) {
        return decide();
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Message message, Throwable thrown) {
        return decide();
    }
}
