package dev.tollgate.local;

import dev.tollgate.traffic.alb.AlbListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/**
 * Plays a scenario's traffic into moto's CloudWatch: at the end of every period it reads where the
 * target sends traffic (the ALB listener's weights, or the Lambda alias's routing), splits that
 * period's requests between the live version (baseline) and the release (canary) accordingly, and
 * writes requests, errors and latencies per version, as the service's own instrumentation (or
 * Lambda's) would. Traffic therefore follows whatever Tollgate, or CodeDeploy, does to the target.
 */
public final class TrafficSimulator implements AutoCloseable {

    public static final String NAMESPACE = "App";
    public static final String LAMBDA_NAMESPACE = "AWS/Lambda";
    /** PutMetricData's limit of values in one datum. */
    static final int MAX_VALUES_PER_DATUM = 150;

    /** Where this period's requests go: the versions serving and the release's share. */
    record Split(String baselineVersion, String releaseVersion, double releaseShare) {}

    /** How the service's metrics are named: namespace, the three metrics, and each version's dimensions. */
    record Instrumentation(
            String namespace,
            String requests,
            String errors,
            String latency,
            Function<String, Map<String, String>> dimensions) {}

    private final Scenario scenario;
    private final Instrumentation instrumentation;
    private final SplitSource target;
    private final String liveVersion;
    private final int periodSeconds;
    private final int requestsPerPeriod;
    private final CloudWatchClient cloudWatch;
    private final Random random;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "traffic-simulator");
        thread.setDaemon(true);
        return thread;
    });

    /** Reads where the target sends traffic, once per period. */
    interface SplitSource extends AutoCloseable {
        Split split();

        @Override
        void close();
    }

    /** Traffic of an ECS service behind the fixture's listener: blue runs the live version, green the release. */
    public TrafficSimulator(
            LocalStack stack,
            EcsAlbFixture fixture,
            Scenario scenario,
            int periodSeconds,
            int requestsPerPeriod,
            long seed) {
        this(
                stack,
                scenario,
                new Instrumentation(
                        NAMESPACE, "Requests", "Errors", "Latency", version -> dimensions(fixture.service(), version)),
                EcsAlbFixture.LIVE_VERSION,
                listenerSplit(stack, fixture),
                periodSeconds,
                requestsPerPeriod,
                seed);
    }

    /** Invocations of a Lambda alias, as Lambda reports them per executed version (AWS/Lambda, ExecutedVersion). */
    public TrafficSimulator(
            LocalStack stack,
            LambdaAliasFixture fixture,
            Scenario scenario,
            int periodSeconds,
            int requestsPerPeriod,
            long seed) {
        this(
                stack,
                scenario,
                new Instrumentation(
                        LAMBDA_NAMESPACE,
                        "Invocations",
                        "Errors",
                        "Duration",
                        version -> lambdaDimensions(fixture, version)),
                fixture.liveVersion(),
                aliasSplit(stack, fixture),
                periodSeconds,
                requestsPerPeriod,
                seed);
    }

    private TrafficSimulator(
            LocalStack stack,
            Scenario scenario,
            Instrumentation instrumentation,
            String liveVersion,
            SplitSource target,
            int periodSeconds,
            int requestsPerPeriod,
            long seed) {
        this.scenario = scenario;
        this.instrumentation = instrumentation;
        this.target = target;
        this.liveVersion = liveVersion;
        this.periodSeconds = periodSeconds;
        this.requestsPerPeriod = requestsPerPeriod;
        this.cloudWatch = stack.cloudWatch();
        this.random = new Random(seed);
    }

    private static SplitSource listenerSplit(LocalStack stack, EcsAlbFixture fixture) {
        ElasticLoadBalancingV2Client elb = stack.elb();
        AlbListener listener = new AlbListener(elb, fixture.listenerArn(), null);
        return new SplitSource() {
            @Override
            public Split split() {
                Map<String, Integer> weights = listener.weights();
                int blue = weights.getOrDefault(fixture.blueTargetGroupArn(), 0);
                int green = weights.getOrDefault(fixture.greenTargetGroupArn(), 0);
                return new Split(
                        EcsAlbFixture.LIVE_VERSION, EcsAlbFixture.RELEASE_VERSION, green / (double) (blue + green));
            }

            @Override
            public void close() {
                elb.close();
            }
        };
    }

    private static SplitSource aliasSplit(LocalStack stack, LambdaAliasFixture fixture) {
        LambdaClient lambda = stack.lambda();
        return new SplitSource() {
            @Override
            public Split split() {
                GetAliasResponse alias = lambda.getAlias(
                        get -> get.functionName(fixture.functionName()).name(fixture.alias()));
                Map<String, Double> routing = alias.routingConfig() == null
                        ? Map.of()
                        : alias.routingConfig().additionalVersionWeights();
                if (!alias.functionVersion().equals(fixture.liveVersion())) {
                    return new Split(fixture.liveVersion(), alias.functionVersion(), 1.0);
                }
                return routing.entrySet().stream()
                        .findFirst()
                        .map(weighted -> new Split(fixture.liveVersion(), weighted.getKey(), weighted.getValue()))
                        .orElse(new Split(fixture.liveVersion(), null, 0.0));
            }

            @Override
            public void close() {
                lambda.close();
            }
        };
    }

    public static Map<String, String> dimensions(String service, String version) {
        return Map.of("Service", service, "Version", version);
    }

    /** Lambda's per-version dimensions for invocations through a weighted alias. */
    public static Map<String, String> lambdaDimensions(LambdaAliasFixture fixture, String version) {
        return Map.of(
                "FunctionName",
                fixture.functionName(),
                "Resource",
                fixture.functionName() + ":" + fixture.alias(),
                "ExecutedVersion",
                version);
    }

    /**
     * A day of the live version's traffic, so the error-budget check has its history, and its last
     * {@link #RECENT_PERIODS} periods at all of the traffic, the history a post-promotion watch compares with.
     */
    public void seedHistory(Instant now) {
        Instant anHourAgo = now.minusSeconds(3600);
        long requests = 250_000;
        long errors = Math.round(requests * scenario.baselineErrorRate());
        put(List.of(
                datum(instrumentation.requests(), liveVersion, anHourAgo, requests),
                datum(instrumentation.errors(), liveVersion, anHourAgo, errors)));
        long nowSeconds = now.getEpochSecond();
        Instant lastPeriod =
                Instant.ofEpochSecond(nowSeconds - Math.floorMod(nowSeconds, periodSeconds) - periodSeconds);
        for (int from = RECENT_PERIODS - 1; from >= 0; from -= PERIODS_PER_PUT) {
            List<MetricDatum> data = new ArrayList<>();
            for (int back = from; back > from - PERIODS_PER_PUT && back >= 0; back--) {
                addSide(
                        data,
                        liveVersion,
                        lastPeriod.minusSeconds((long) back * periodSeconds),
                        requestsPerPeriod,
                        scenario.baselineErrorRate(),
                        1.0);
            }
            put(data);
        }
    }

    /** Periods of the live version's recent history: more than the demo's watch reads. */
    static final int RECENT_PERIODS = 24;

    private static final int PERIODS_PER_PUT = 8;

    public void start() {
        long now = System.currentTimeMillis();
        long periodMillis = periodSeconds * 1000L;
        long untilNextBoundary = periodMillis - now % periodMillis;
        clock.scheduleAtFixedRate(this::playLastPeriod, untilNextBoundary + 200, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void playLastPeriod() {
        try {
            long nowSeconds = Instant.now().getEpochSecond();
            Instant periodStart =
                    Instant.ofEpochSecond(nowSeconds - Math.floorMod(nowSeconds, periodSeconds) - periodSeconds);
            Split split = target.split();
            int releaseRequests =
                    split.releaseVersion() == null ? 0 : binomial(requestsPerPeriod, split.releaseShare());
            int baselineRequests = requestsPerPeriod - releaseRequests;
            List<MetricDatum> data = new ArrayList<>();
            addSide(data, split.baselineVersion(), periodStart, baselineRequests, scenario.baselineErrorRate(), 1.0);
            if (split.releaseVersion() != null) {
                boolean release = !split.releaseVersion().equals(liveVersion);
                addSide(
                        data,
                        split.releaseVersion(),
                        periodStart,
                        releaseRequests,
                        release ? scenario.releaseErrorRate(split.releaseShare()) : scenario.baselineErrorRate(),
                        release ? scenario.canaryLatencyFactor() : 1.0);
            }
            put(data);
        } catch (RuntimeException e) {
            // One lost period is what a real service's metrics pipeline would also see; keep playing.
            System.err.println("traffic simulator: " + e.getMessage());
        }
    }

    private void addSide(
            List<MetricDatum> data,
            String version,
            Instant periodStart,
            int requests,
            double errorRate,
            double latencyFactor) {
        if (requests == 0) {
            return;
        }
        data.add(datum(instrumentation.requests(), version, periodStart, requests));
        data.add(datum(instrumentation.errors(), version, periodStart, binomial(requests, errorRate)));
        // A sample of the period's latencies, as a service that records some of its requests would: enough for
        // moto to compute percentiles from, and their count is the percentile's SampleCount.
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < Math.min(scenario.latencySamples(), requests); i++) {
            double lognormal = Math.exp(Math.log(80) + 0.35 * random.nextGaussian());
            latencies.add(lognormal * latencyFactor);
        }
        // PutMetricData takes at most 150 values a datum.
        for (int from = 0; from < latencies.size(); from += MAX_VALUES_PER_DATUM) {
            data.add(MetricDatum.builder()
                    .metricName(instrumentation.latency())
                    .timestamp(periodStart.plusMillis(500))
                    .values(latencies.subList(from, Math.min(latencies.size(), from + MAX_VALUES_PER_DATUM)))
                    .unit(StandardUnit.MILLISECONDS)
                    .storageResolution(1)
                    .dimensions(dimensionList(version))
                    .build());
        }
    }

    private MetricDatum datum(String metric, String version, Instant periodStart, double value) {
        return MetricDatum.builder()
                .metricName(metric)
                .timestamp(periodStart.plusMillis(500))
                .value(value)
                .unit(StandardUnit.COUNT)
                .storageResolution(1)
                .dimensions(dimensionList(version))
                .build();
    }

    private List<Dimension> dimensionList(String version) {
        return instrumentation.dimensions().apply(version).entrySet().stream()
                .map(entry -> Dimension.builder()
                        .name(entry.getKey())
                        .value(entry.getValue())
                        .build())
                .toList();
    }

    private void put(List<MetricDatum> data) {
        if (!data.isEmpty()) {
            cloudWatch.putMetricData(
                    put -> put.namespace(instrumentation.namespace()).metricData(data));
        }
    }

    private int binomial(int trials, double probability) {
        if (probability <= 0 || trials == 0) {
            return 0;
        }
        if (probability >= 1) {
            return trials;
        }
        int successes = 0;
        for (int i = 0; i < trials; i++) {
            if (random.nextDouble() < probability) {
                successes++;
            }
        }
        return successes;
    }

    @Override
    public void close() {
        clock.shutdownNow();
        cloudWatch.close();
        target.close();
    }
}
