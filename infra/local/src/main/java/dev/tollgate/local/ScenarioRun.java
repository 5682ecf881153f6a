package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/**
 * One whole deployment on a running local stack: the service's resources, its traffic, the
 * execution of the real state machine, followed to its end.
 */
public final class ScenarioRun {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** 2,000 requests a second: enough errors per period for the judge to decide a 10 % step in about seven periods. */
    static final int REQUESTS_PER_PERIOD = 10_000;

    private final LocalStack stack;
    private final PrintStream out;

    public ScenarioRun(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    /** What a run produced: the outcome line's parts and the execution. */
    public record Result(ExecutionWatcher.Outcome outcome, String executionArn, EcsAlbFixture fixture, Duration wallTime,
                         ReleaseDatabase release) {
    }

    /** Runs the scenario; the release brings the demo's database secret and expand-only Flyway scripts. */
    public Result run(Scenario scenario, String service, long seed) throws InterruptedException {
        return run(scenario, service, seed, spec -> spec, Duration.ofMinutes(5));
    }

    /** As {@link #run(Scenario, String, long)}, with the demo spec adjusted by {@code adjustSpec} before it starts. */
    public Result run(Scenario scenario, String service, long seed, UnaryOperator<ObjectNode> adjustSpec) throws InterruptedException {
        return run(scenario, service, seed, adjustSpec, Duration.ofMinutes(5));
    }

    /** As {@link #run(Scenario, String, long)}; {@code approvalGate} puts an approval gate after the first step. */
    public Result run(Scenario scenario, String service, long seed, boolean approvalGate, Duration watchFor)
            throws InterruptedException {
        return run(scenario, service, seed, spec -> approvalGate ? DemoSpecs.withApproval(spec, 0) : spec, watchFor);
    }

    private Result run(Scenario scenario, String service, long seed, UnaryOperator<ObjectNode> adjustSpec, Duration watchFor)
            throws InterruptedException {
        out.println("scenario " + scenario.cliName() + ": " + scenario.description());
        try (Release release = prepare(scenario, service, seed)) {
            ObjectNode spec = adjustSpec.apply(release.spec());
            String executionArn = start(release.deploymentId(), spec);
            out.println("started execution " + executionArn);
            DescribeExecutionResponse execution = new ExecutionWatcher(stack.sfn(), out).follow(executionArn, watchFor);
            return new Result(ExecutionWatcher.outcome(execution, release.deploymentId()), executionArn, release.fixture(),
                    Duration.between(release.began(), Instant.now()), release.database());
        }
    }

    /**
     * A release ready to deploy: the service's resources, a canary alarm, traffic already flowing
     * (stopped by {@link Release#close()}) and the spec; nothing is started, so a test or the CLI can
     * start it any way it likes.
     */
    public Release prepare(Scenario scenario, String service, long seed) {
        Instant began = Instant.now();
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, service);
        String alarm = createCanaryAlarm(service);
        String deploymentId = service + "-" + ID_TIME.format(began) + "-" + EcsAlbFixture.RELEASE_VERSION;
        ReleaseDatabase database = ReleaseDatabase.demo(stack, service, EcsAlbFixture.RELEASE_VERSION);
        ObjectNode spec = DemoSpecs.withMigrations(DemoSpecs.ecsAlb(deploymentId, fixture, alarm), database, false);
        TrafficSimulator traffic = new TrafficSimulator(stack, fixture, scenario, DemoSpecs.PERIOD_SECONDS, REQUESTS_PER_PERIOD, seed);
        traffic.seedHistory(began);
        traffic.start();
        return new Release(deploymentId, spec, fixture, traffic, began, database);
    }

    /** A prepared release; closing it stops its traffic. */
    public record Release(String deploymentId, ObjectNode spec, EcsAlbFixture fixture, TrafficSimulator traffic, Instant began,
                          ReleaseDatabase database)
            implements AutoCloseable {
        @Override
        public void close() {
            traffic.close();
        }
    }

    public String start(String executionName, ObjectNode spec) {
        return stack.sfn().startExecution(start -> start.stateMachineArn(stack.stateMachineArn()).name(executionName)
                .input(Json.write(spec))).executionArn();
    }

    /** An alarm on the canary's errors, as a team would keep one; the judge reads its state. */
    private String createCanaryAlarm(String service) {
        String name = service + "-canary-errors";
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            cloudWatch.putMetricAlarm(alarm -> alarm.alarmName(name).namespace(TrafficSimulator.NAMESPACE).metricName("Errors")
                    .dimensions(TrafficSimulator.dimensions(service, EcsAlbFixture.RELEASE_VERSION).entrySet().stream()
                            .map(entry -> software.amazon.awssdk.services.cloudwatch.model.Dimension.builder()
                                    .name(entry.getKey()).value(entry.getValue()).build()).toList())
                    .statistic(Statistic.SUM).period(60).evaluationPeriods(1).threshold(1000.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
            cloudWatch.setAlarmState(state -> state.alarmName(name).stateValue("OK").stateReason("no canary errors yet"));
        }
        return name;
    }
}
