package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
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

    /** What a run produced: the outcome line's parts, the execution, and the resources it deployed to. */
    public record Result(ExecutionWatcher.Outcome outcome, String executionArn, DemoTarget target, Object fixture, Duration wallTime) {

        public EcsAlbFixture ecsAlbFixture() {
            return (EcsAlbFixture) fixture;
        }

        public LambdaAliasFixture lambdaAliasFixture() {
            return fixture instanceof CodeDeployFixture codeDeploy ? codeDeploy.function() : (LambdaAliasFixture) fixture;
        }

        public CodeDeployFixture codeDeployFixture() {
            return (CodeDeployFixture) fixture;
        }
    }

    public Result run(Scenario scenario, String service, long seed) throws InterruptedException {
        return run(scenario, DemoTarget.ECS_ALB, service, seed);
    }

    public Result run(Scenario scenario, DemoTarget target, String service, long seed) throws InterruptedException {
        Instant began = Instant.now();
        String deploymentId = service + "-" + ID_TIME.format(began) + "-" + EcsAlbFixture.RELEASE_VERSION;
        Object fixture;
        ObjectNode spec;
        TrafficSimulator traffic;
        switch (target) {
            case LAMBDA_ALIAS -> {
                LambdaAliasFixture function = LambdaAliasFixture.create(stack, service);
                String alarm = createCanaryAlarm(service, TrafficSimulator.LAMBDA_NAMESPACE,
                        TrafficSimulator.lambdaDimensions(function, function.liveVersion()));
                fixture = function;
                spec = DemoSpecs.lambdaAlias(deploymentId, function, alarm);
                traffic = new TrafficSimulator(stack, function, scenario, DemoSpecs.PERIOD_SECONDS, 600, seed);
            }
            case CODEDEPLOY -> {
                CodeDeployFixture codeDeploy = CodeDeployFixture.create(stack, service);
                String alarm = createCanaryAlarm(service, TrafficSimulator.LAMBDA_NAMESPACE,
                        TrafficSimulator.lambdaDimensions(codeDeploy.function(), codeDeploy.function().liveVersion()));
                fixture = codeDeploy;
                spec = DemoSpecs.codeDeploy(deploymentId, codeDeploy, alarm);
                traffic = new TrafficSimulator(stack, codeDeploy.function(), scenario, DemoSpecs.PERIOD_SECONDS, 600, seed);
            }
            default -> {
                EcsAlbFixture ecsAlb = EcsAlbFixture.create(stack, service);
                String alarm = createCanaryAlarm(service, TrafficSimulator.NAMESPACE,
                        TrafficSimulator.dimensions(service, EcsAlbFixture.RELEASE_VERSION));
                fixture = ecsAlb;
                spec = DemoSpecs.ecsAlb(deploymentId, ecsAlb, alarm);
                traffic = new TrafficSimulator(stack, ecsAlb, scenario, DemoSpecs.PERIOD_SECONDS, 600, seed);
            }
        }
        if (target != DemoTarget.ECS_ALB) {
            out.println("target " + target.cliName() + ": " + target.description());
        }
        out.println("scenario " + scenario.cliName() + ": " + scenario.description());
        try (traffic) {
            traffic.seedHistory(began);
            traffic.start();
            String executionArn = start(deploymentId, spec);
            out.println("started execution " + executionArn);
            DescribeExecutionResponse execution = new ExecutionWatcher(stack.sfn(), out).follow(executionArn, Duration.ofMinutes(5));
            return new Result(ExecutionWatcher.outcome(execution, deploymentId), executionArn, target, fixture,
                    Duration.between(began, Instant.now()));
        }
    }

    public String start(String executionName, ObjectNode spec) {
        return stack.sfn().startExecution(start -> start.stateMachineArn(stack.stateMachineArn()).name(executionName)
                .input(Json.write(spec))).executionArn();
    }

    /** An alarm on the service's errors, as a team would keep one; the judge reads its state. */
    private String createCanaryAlarm(String service, String namespace, Map<String, String> dimensions) {
        String name = service + "-canary-errors";
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            cloudWatch.putMetricAlarm(alarm -> alarm.alarmName(name).namespace(namespace).metricName("Errors")
                    .dimensions(dimensions.entrySet().stream()
                            .map(entry -> Dimension.builder().name(entry.getKey()).value(entry.getValue()).build()).toList())
                    .statistic(Statistic.SUM).period(60).evaluationPeriods(1).threshold(1000.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
            cloudWatch.setAlarmState(state -> state.alarmName(name).stateValue("OK").stateReason("no canary errors yet"));
        }
        return name;
    }
}
