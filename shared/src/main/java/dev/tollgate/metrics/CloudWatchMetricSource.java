package dev.tollgate.metrics;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.MetricSeries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * CloudWatch behind {@link MetricSource}: one {@code GetMetricData} request per 500 queries (its
 * limit), following {@code NextToken}, and one {@code DescribeAlarms} for up to 100 names.
 */
public final class CloudWatchMetricSource implements MetricSource {

    /** GetMetricData accepts at most 500 queries per request. */
    static final int MAX_QUERIES_PER_REQUEST = 500;

    private final CloudWatchClient cloudWatch;

    public CloudWatchMetricSource(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public Map<String, MetricSeries> series(List<SeriesQuery> queries, Instant start, Instant end, int periodSeconds) {
        Map<String, TreeMap<Instant, Double>> points = new HashMap<>();
        queries.forEach(query -> points.put(query.id(), new TreeMap<>()));
        for (int from = 0; from < queries.size(); from += MAX_QUERIES_PER_REQUEST) {
            List<MetricDataQuery> batch =
                    queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES_PER_REQUEST)).stream()
                            .map(query -> toCloudWatch(query, periodSeconds))
                            .toList();
            String nextToken = null;
            do {
                String token = nextToken;
                GetMetricDataResponse response = call(
                        "CloudWatch GetMetricData",
                        () -> cloudWatch.getMetricData(request -> request.metricDataQueries(batch)
                                .startTime(start)
                                .endTime(end)
                                .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                                .nextToken(token)));
                for (MetricDataResult result : response.metricDataResults()) {
                    TreeMap<Instant, Double> series = points.get(result.id());
                    for (int i = 0; i < result.timestamps().size(); i++) {
                        series.put(result.timestamps().get(i), result.values().get(i));
                    }
                }
                nextToken = response.nextToken();
            } while (nextToken != null && !nextToken.isEmpty());
        }
        Map<String, MetricSeries> series = new LinkedHashMap<>();
        points.forEach((id, values) ->
                series.put(id, new MetricSeries(new ArrayList<>(values.keySet()), new ArrayList<>(values.values()))));
        return series;
    }

    @Override
    public Map<String, AlarmState> alarmStates(List<String> alarmNames) {
        Map<String, AlarmState> states = new LinkedHashMap<>();
        if (alarmNames.isEmpty()) {
            return states;
        }
        alarmNames.forEach(name -> states.put(name, AlarmState.MISSING));
        String nextToken = null;
        do {
            String token = nextToken;
            // One call covers both static and anomaly-detection metric alarms, and composite alarms.
            DescribeAlarmsResponse response = call(
                    "CloudWatch DescribeAlarms",
                    () -> cloudWatch.describeAlarms(request -> request.alarmNames(alarmNames)
                            .alarmTypesWithStrings("MetricAlarm", "CompositeAlarm")
                            .nextToken(token)));
            response.metricAlarms().forEach(alarm -> states.put(alarm.alarmName(), state(alarm.stateValueAsString())));
            response.compositeAlarms()
                    .forEach(alarm -> states.put(alarm.alarmName(), state(alarm.stateValueAsString())));
            nextToken = response.nextToken();
        } while (nextToken != null && !nextToken.isEmpty());
        return states;
    }

    private static AlarmState state(String value) {
        return switch (value == null ? "" : value) {
            case "OK" -> AlarmState.OK;
            case "ALARM" -> AlarmState.ALARM;
            // Unknown states count as no data: never as healthy.
            default -> AlarmState.INSUFFICIENT_DATA;
        };
    }

    private static MetricDataQuery toCloudWatch(SeriesQuery query, int periodSeconds) {
        return MetricDataQuery.builder()
                .id(query.id())
                .returnData(true)
                .metricStat(stat -> stat.metric(metric -> metric.namespace(query.namespace())
                                .metricName(query.metric())
                                .dimensions(query.dimensions().entrySet().stream()
                                        .map(entry -> Dimension.builder()
                                                .name(entry.getKey())
                                                .value(entry.getValue())
                                                .build())
                                        .toList()))
                        .period(periodSeconds)
                        .stat(query.stat()))
                .build();
    }
}
