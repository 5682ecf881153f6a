package dev.tollgate.metrics;

import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.MetricSeries;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads the judge's evidence: per-period series for many metrics in one batched call, and the
 * states of named alarms in one call. A series the backend returns no data for is empty, never zeros.
 */
public interface MetricSource {

    /** Values per period in [start, end), oldest first, keyed by {@link SeriesQuery#id()}. */
    Map<String, MetricSeries> series(List<SeriesQuery> queries, Instant start, Instant end, int periodSeconds);

    /** States keyed by alarm name; an alarm that does not exist is {@link AlarmState#MISSING}. */
    Map<String, AlarmState> alarmStates(List<String> alarmNames);
}
