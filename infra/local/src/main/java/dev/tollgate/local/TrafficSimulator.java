package dev.tollgate.local;

import dev.tollgate.spec.EcsAlbTarget;
import dev.tollgate.traffic.AlbWeightedRouter;
import dev.tollgate.traffic.TrafficWeights;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Plays a scenario's traffic into moto's CloudWatch: at the end of every period it reads the
 * listener's weights, splits that period's requests between blue (baseline) and green (canary)
 * accordingly, and writes requests, errors and latencies per version, as the service's own
 * instrumentation would. Traffic therefore follows whatever Tollgate does to the listener.
 */
public final class TrafficSimulator implements AutoCloseable {

    public static final String NAMESPACE = "App";

    private final EcsAlbFixture fixture;
    private final Scenario scenario;
    private final int periodSeconds;
    private final int requestsPerPeriod;
    private final CloudWatchClient cloudWatch;
    private final AlbWeightedRouter listener;
    private final EcsClient ecs;
    private final ElasticLoadBalancingV2Client elb;
    private final Random random;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "traffic-simulator");
        thread.setDaemon(true);
        return thread;
    });

    public TrafficSimulator(LocalStack stack, EcsAlbFixture fixture, Scenario scenario, int periodSeconds, int requestsPerPeriod,
                            long seed) {
        this.fixture = fixture;
        this.scenario = scenario;
        this.periodSeconds = periodSeconds;
        this.requestsPerPeriod = requestsPerPeriod;
        this.cloudWatch = stack.cloudWatch();
        this.ecs = stack.ecs();
        this.elb = stack.elb();
        this.listener = new AlbWeightedRouter(new EcsAlbTarget(fixture.cluster(), fixture.blueService(), fixture.greenService(),
                fixture.listenerArn(), null, fixture.blueTargetGroupArn(), fixture.greenTargetGroupArn(),
                fixture.releaseTaskDefinition(), 60), ecs, elb);
        this.random = new Random(seed);
    }

    public static Map<String, String> dimensions(String service, String version) {
        return Map.of("Service", service, "Version", version);
    }

    /** A day of the live version's traffic, so the error-budget check has its history. */
    public void seedHistory(Instant now) {
        Instant anHourAgo = now.minusSeconds(3600);
        long requests = 250_000;
        long errors = Math.round(requests * scenario.baselineErrorRate());
        put(List.of(
                datum("Requests", EcsAlbFixture.LIVE_VERSION, anHourAgo, requests),
                datum("Errors", EcsAlbFixture.LIVE_VERSION, anHourAgo, errors)));
    }

    public void start() {
        long now = System.currentTimeMillis();
        long periodMillis = periodSeconds * 1000L;
        long untilNextBoundary = periodMillis - now % periodMillis;
        clock.scheduleAtFixedRate(this::playLastPeriod, untilNextBoundary + 200, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void playLastPeriod() {
        try {
            long nowSeconds = Instant.now().getEpochSecond();
            Instant periodStart = Instant.ofEpochSecond(nowSeconds - Math.floorMod(nowSeconds, periodSeconds) - periodSeconds);
            TrafficWeights weights = listener.currentWeights();
            int canaryRequests = binomial(requestsPerPeriod, weights.canaryPercent() / 100.0);
            int baselineRequests = requestsPerPeriod - canaryRequests;
            List<MetricDatum> data = new ArrayList<>();
            addSide(data, EcsAlbFixture.LIVE_VERSION, periodStart, baselineRequests, scenario.baselineErrorRate(), 1.0);
            addSide(data, EcsAlbFixture.RELEASE_VERSION, periodStart, canaryRequests, scenario.canaryErrorRate(),
                    scenario.canaryLatencyFactor());
            put(data);
        } catch (RuntimeException e) {
            // One lost period is what a real service's metrics pipeline would also see; keep playing.
            System.err.println("traffic simulator: " + e.getMessage());
        }
    }

    private void addSide(List<MetricDatum> data, String version, Instant periodStart, int requests, double errorRate,
                         double latencyFactor) {
        if (requests == 0) {
            return;
        }
        data.add(datum("Requests", version, periodStart, requests));
        data.add(datum("Errors", version, periodStart, binomial(requests, errorRate)));
        // A handful of latency samples per period is enough for moto to compute percentiles from.
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < Math.min(50, requests); i++) {
            double lognormal = Math.exp(Math.log(80) + 0.35 * random.nextGaussian());
            latencies.add(lognormal * latencyFactor);
        }
        data.add(MetricDatum.builder().metricName("Latency").timestamp(periodStart.plusMillis(500)).values(latencies)
                .unit(StandardUnit.MILLISECONDS).storageResolution(1).dimensions(dimensionList(version)).build());
    }

    private MetricDatum datum(String metric, String version, Instant periodStart, double value) {
        return MetricDatum.builder().metricName(metric).timestamp(periodStart.plusMillis(500)).value(value)
                .unit(StandardUnit.COUNT).storageResolution(1).dimensions(dimensionList(version)).build();
    }

    private List<Dimension> dimensionList(String version) {
        return dimensions(fixture.service(), version).entrySet().stream()
                .map(entry -> Dimension.builder().name(entry.getKey()).value(entry.getValue()).build()).toList();
    }

    private void put(List<MetricDatum> data) {
        if (!data.isEmpty()) {
            cloudWatch.putMetricData(put -> put.namespace(NAMESPACE).metricData(data));
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
        ecs.close();
        elb.close();
    }
}
