package dev.tollgate.fakes;

import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.metrics.SeriesQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics in memory, keyed by metric name and dimensions like CloudWatch: a test puts values at
 * timestamps, and {@link #series} sums them per period for Sum, counts them for SampleCount (other
 * stats take the mean).
 */
public final class FakeMetricSource implements MetricSource {

    private final Map<String, Map<Instant, List<Double>>> points = new HashMap<>();
    private final Map<String, AlarmState> alarms = new HashMap<>();
    private final List<List<SeriesQuery>> seriesCalls = new ArrayList<>();
    private int alarmCalls;

    public FakeMetricSource put(
            String namespace, String metric, Map<String, String> dimensions, Instant at, double value) {
        points.computeIfAbsent(key(namespace, metric, dimensions), k -> new HashMap<>())
                .computeIfAbsent(at, k -> new ArrayList<>())
                .add(value);
        return this;
    }

    public FakeMetricSource alarm(String name, AlarmState state) {
        alarms.put(name, state);
        return this;
    }

    @Override
    public Map<String, MetricSeries> series(List<SeriesQuery> queries, Instant start, Instant end, int periodSeconds) {
        seriesCalls.add(List.copyOf(queries));
        Map<String, MetricSeries> result = new LinkedHashMap<>();
        for (SeriesQuery query : queries) {
            Map<Instant, List<Double>> byTime =
                    points.getOrDefault(key(query.namespace(), query.metric(), query.dimensions()), Map.of());
            List<Instant> timestamps = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (Instant periodStart = start;
                    periodStart.isBefore(end);
                    periodStart = periodStart.plusSeconds(periodSeconds)) {
                Instant periodEnd = periodStart.plusSeconds(periodSeconds);
                List<Double> inPeriod = new ArrayList<>();
                for (Map.Entry<Instant, List<Double>> entry : byTime.entrySet()) {
                    if (!entry.getKey().isBefore(periodStart) && entry.getKey().isBefore(periodEnd)) {
                        inPeriod.addAll(entry.getValue());
                    }
                }
                if (!inPeriod.isEmpty()) {
                    double sum =
                            inPeriod.stream().mapToDouble(Double::doubleValue).sum();
                    timestamps.add(periodStart);
                    values.add(
                            switch (query.stat()) {
                                case "Sum" -> sum;
                                case "SampleCount" -> (double) inPeriod.size();
                                default -> sum / inPeriod.size();
                            });
                }
            }
            result.put(query.id(), new MetricSeries(timestamps, values));
        }
        return result;
    }

    @Override
    public Map<String, AlarmState> alarmStates(List<String> alarmNames) {
        alarmCalls++;
        Map<String, AlarmState> states = new LinkedHashMap<>();
        alarmNames.forEach(name -> states.put(name, alarms.getOrDefault(name, AlarmState.MISSING)));
        return states;
    }

    public int seriesCallCount() {
        return seriesCalls.size();
    }

    public int alarmCallCount() {
        return alarmCalls;
    }

    private static String key(String namespace, String metric, Map<String, String> dimensions) {
        return namespace + "/" + metric + new java.util.TreeMap<>(dimensions);
    }
}
