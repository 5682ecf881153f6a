package dev.tollgate.bench.coldstart.probe.http;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/**
 * One cold start of an analysis tick's AWS calls with one SDK HTTP client, in a fresh JVM whose
 * class path is the decide function's jar, that client's jars and this probe: builds the HTTP client and
 * a CloudWatch client, makes the tick's two calls (GetMetricData of six metrics, DescribeAlarms)
 * once cold, then {@code N} times warm. Prints one {@code HTTPPROBE ...} line, then halts.
 *
 * <pre>  ... HttpClientProbe url-connection|apache|crt ENDPOINT ALARM N</pre>
 */
public final class HttpClientProbe {

    private HttpClientProbe() {}

    public static void main(String[] args) throws Exception {
        long mainEntered = System.nanoTime();
        String client = args[0];
        URI endpoint = URI.create(args[1]);
        String alarm = args[2];
        int warmCalls = Integer.parseInt(args[3]);
        SdkHttpClient http = build(client);
        CloudWatchClient cloudWatch = CloudWatchClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(http)
                .build();
        long built = System.nanoTime();
        tick(cloudWatch, alarm);
        long firstTick = System.nanoTime();
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < warmCalls; i++) {
            long started = System.nanoTime();
            tick(cloudWatch, alarm);
            warm.add((System.nanoTime() - started) / 1e6);
        }
        Collections.sort(warm);
        long end = System.nanoTime();
        // The launcher times this line; the warm ticks ran before it, so it also needs to know when the first tick
        // ended.
        System.out.printf(
                Locale.ROOT,
                "HTTPPROBE buildMillis=%.2f firstTickMillis=%.2f warmMedianMillis=%.3f warmP90Millis=%.3f"
                        + " firstTickToLineMillis=%.2f%n",
                (built - mainEntered) / 1e6,
                (firstTick - built) / 1e6,
                warm.isEmpty() ? 0 : warm.get(warm.size() / 2),
                warm.isEmpty() ? 0 : warm.get((int) Math.floor(0.9 * (warm.size() - 1))),
                (end - firstTick) / 1e6);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** The factory class of that client only: the others' classes are never loaded. */
    private static SdkHttpClient build(String client) throws ReflectiveOperationException {
        String factory = switch (client) {
            case "url-connection" -> "UrlConnectionClient";
            case "apache" -> "ApacheClient";
            case "crt" -> "CrtClient";
            default -> throw new IllegalArgumentException("unknown HTTP client " + client);
        };
        try {
            var build = Class.forName(HttpClientProbe.class.getPackageName() + "." + factory)
                    .getDeclaredMethod("build");
            build.setAccessible(true);
            return (SdkHttpClient) build.invoke(null);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** An analysis tick's calls: the six series of an error rate and a p99 (canary and baseline), and the alarms. */
    private static void tick(CloudWatchClient cloudWatch, String alarm) {
        Instant end = Instant.now();
        List<MetricDataQuery> queries = new ArrayList<>();
        String[][] series = {{"Errors", "Sum"}, {"Requests", "Sum"}, {"Latency", "p99"}};
        for (String version : List.of("v41", "v42")) {
            for (String[] metric : series) {
                queries.add(MetricDataQuery.builder()
                        .id("m" + queries.size())
                        .metricStat(stat -> stat.period(60)
                                .stat(metric[1])
                                .metric(m -> m.namespace("App")
                                        .metricName(metric[0])
                                        .dimensions(Dimension.builder()
                                                .name("Version")
                                                .value(version)
                                                .build())))
                        .build());
            }
        }
        cloudWatch.getMetricData(
                get -> get.startTime(end.minusSeconds(600)).endTime(end).metricDataQueries(queries));
        cloudWatch.describeAlarms(describe -> describe.alarmNames(alarm));
    }
}
