package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
        Instant began = Instant.now();
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, service);
        String alarm = createCanaryAlarm(service);
        String deploymentId = service + "-" + ID_TIME.format(began) + "-" + EcsAlbFixture.RELEASE_VERSION;
        ReleaseDatabase release = ReleaseDatabase.demo(stack, service, EcsAlbFixture.RELEASE_VERSION);
        ObjectNode spec = DemoSpecs.withMigrations(DemoSpecs.ecsAlb(deploymentId, fixture, alarm), release, false);
        out.println("scenario " + scenario.cliName() + ": " + scenario.description());
        try (TrafficSimulator traffic = new TrafficSimulator(stack, fixture, scenario, DemoSpecs.PERIOD_SECONDS, 600, seed)) {
            traffic.seedHistory(began);
            traffic.start();
            String executionArn = start(deploymentId, spec);
            out.println("started execution " + executionArn);
            DescribeExecutionResponse execution = new ExecutionWatcher(stack.sfn(), out).follow(executionArn, Duration.ofMinutes(5));
            return new Result(ExecutionWatcher.outcome(execution, deploymentId), executionArn, fixture,
                    Duration.between(began, Instant.now()), release);
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
