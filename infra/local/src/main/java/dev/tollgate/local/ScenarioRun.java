package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/**
 * One whole deployment on a running local stack: the target's resources, the release's database
 * secret and migrations, its traffic, the execution of the real state machine, followed to its end.
 */
public final class ScenarioRun {

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** 2,000 requests a second: enough errors per period for the judge to decide a 10 % step in about seven periods. */
    static final int REQUESTS_PER_PERIOD = 10_000;

    private final LocalStack stack;
    /** Where the release's target, traffic, alarm and secret live: {@code stack} itself, or a view of it at a placement. */
    private final LocalStack targets;

    private final Placement placement;
    private final PrintStream out;

    public ScenarioRun(LocalStack stack, PrintStream out) {
        this(stack, out, null);
    }

    /** With the release's target in another region or account ({@code placement}), its spec naming it; null: at home. */
    public ScenarioRun(LocalStack stack, PrintStream out, Placement placement) {
        this.stack = stack;
        this.targets = placement == null ? stack : stack.at(placement);
        this.placement = placement;
        this.out = out;
    }

    /** What a run produced: the outcome line's parts, the execution, and the resources it deployed to. */
    public record Result(
            ExecutionWatcher.Outcome outcome,
            String executionArn,
            DemoTarget target,
            Object fixture,
            Duration wallTime,
            ReleaseDatabase release) {

        public EcsAlbFixture ecsAlbFixture() {
            return (EcsAlbFixture) fixture;
        }

        public LambdaAliasFixture lambdaAliasFixture() {
            return fixture instanceof CodeDeployFixture codeDeploy
                    ? codeDeploy.function()
                    : (LambdaAliasFixture) fixture;
        }

        public CodeDeployFixture codeDeployFixture() {
            return (CodeDeployFixture) fixture;
        }
    }

    /**
     * How long a scenario's deployment is followed unless told otherwise. Following ends as soon as the execution does;
     * the limit only catches one that never ends. A demo deployment takes about two minutes alone and took over four
     * while a full verify and other builds shared two cores: a limit near that reported correct deployments as stuck.
     */
    public static final Duration FOLLOW_FOR = Duration.ofMinutes(12);

    public Result run(Scenario scenario, String service, long seed) throws InterruptedException {
        return run(scenario, DemoTarget.ECS_ALB, service, seed, spec -> spec, FOLLOW_FOR);
    }

    public Result run(Scenario scenario, DemoTarget target, String service, long seed) throws InterruptedException {
        return run(scenario, target, service, seed, spec -> spec, FOLLOW_FOR);
    }

    /** As {@link #run(Scenario, String, long)}, with the demo spec adjusted by {@code adjustSpec} before it starts. */
    public Result run(Scenario scenario, String service, long seed, UnaryOperator<ObjectNode> adjustSpec)
            throws InterruptedException {
        return run(scenario, DemoTarget.ECS_ALB, service, seed, adjustSpec, FOLLOW_FOR);
    }

    /** The release of {@code scenario} on {@code target}, its demo spec adjusted by {@code adjustSpec}, watched up to {@code watchFor}. */
    public Result run(
            Scenario scenario,
            DemoTarget target,
            String service,
            long seed,
            UnaryOperator<ObjectNode> adjustSpec,
            Duration watchFor)
            throws InterruptedException {
        if (target != DemoTarget.ECS_ALB) {
            out.println("target " + target.cliName() + ": " + target.description());
        }
        out.println("scenario " + scenario.cliName() + ": " + scenario.description());
        try (Release release = prepare(scenario, target, service, seed)) {
            ObjectNode spec = adjustSpec.apply(release.spec());
            String executionArn = start(release.deploymentId(), spec);
            out.println("started execution " + executionArn);
            DescribeExecutionResponse execution = new ExecutionWatcher(stack.sfn(), out).follow(executionArn, watchFor);
            return new Result(
                    ExecutionWatcher.outcome(execution, release.deploymentId()),
                    executionArn,
                    target,
                    release.fixture(),
                    Duration.between(release.began(), Instant.now()),
                    release.database());
        }
    }

    public Release prepare(Scenario scenario, String service, long seed) {
        return prepare(scenario, DemoTarget.ECS_ALB, service, seed);
    }

    /**
     * A release ready to deploy: the target's resources, a canary alarm, the release's database with
     * its migrations, traffic already flowing (stopped by {@link Release#close()}) and the spec;
     * nothing is started, so a test or the CLI can start it any way it likes.
     */
    public Release prepare(Scenario scenario, DemoTarget target, String service, long seed) {
        return prepare(scenario, target, service, seed, true);
    }

    /** As {@link #prepare(Scenario, DemoTarget, String, long)}; without {@code withDatabase}, no database, no migrations. */
    public Release prepare(Scenario scenario, DemoTarget target, String service, long seed, boolean withDatabase) {
        Instant began = Instant.now();
        // A release placed away names its region: the same service released at home in the same second is another
        // deployment.
        String deploymentId = service + (placement == null ? "" : "-" + placement.region()) + "-"
                + ID_TIME.format(began) + "-" + EcsAlbFixture.RELEASE_VERSION;
        Object fixture;
        ObjectNode spec;
        TrafficSimulator traffic;
        LocalCanaryEndpoint canaryEndpoint = null;
        if (scenario.failsSmokeTest() && target == DemoTarget.CODEDEPLOY) {
            throw new IllegalArgumentException(
                    "scenario " + scenario.cliName() + " needs --target ecs-alb or lambda-alias: a smoke test "
                            + "at 0 % is CodeDeploy's own BeforeAllowTraffic hook there");
        }
        switch (target) {
            case LAMBDA_ALIAS -> {
                LambdaAliasFixture function = LambdaAliasFixture.create(targets, service);
                String alarm = createCanaryAlarm(
                        service,
                        TrafficSimulator.LAMBDA_NAMESPACE,
                        TrafficSimulator.lambdaDimensions(function, function.liveVersion()));
                fixture = function;
                spec = DemoSpecs.lambdaAlias(deploymentId, function, alarm);
                if (scenario.failsSmokeTest()) {
                    function.releaseAnswering(targets, 503);
                    DemoSpecs.withSmokeTestProbe(spec, null);
                }
                traffic = new TrafficSimulator(
                        targets, function, scenario, DemoSpecs.PERIOD_SECONDS, REQUESTS_PER_PERIOD, seed);
            }
            case CODEDEPLOY -> {
                CodeDeployFixture codeDeploy = CodeDeployFixture.create(targets, service);
                String alarm = createCanaryAlarm(
                        service,
                        TrafficSimulator.LAMBDA_NAMESPACE,
                        TrafficSimulator.lambdaDimensions(
                                codeDeploy.function(), codeDeploy.function().liveVersion()));
                fixture = codeDeploy;
                spec = DemoSpecs.codeDeploy(deploymentId, codeDeploy, alarm);
                traffic = new TrafficSimulator(
                        targets, codeDeploy.function(), scenario, DemoSpecs.PERIOD_SECONDS, REQUESTS_PER_PERIOD, seed);
            }
            default -> {
                EcsAlbFixture ecsAlb = EcsAlbFixture.create(targets, service);
                String alarm = createCanaryAlarm(
                        service,
                        TrafficSimulator.NAMESPACE,
                        TrafficSimulator.dimensions(service, EcsAlbFixture.RELEASE_VERSION));
                fixture = ecsAlb;
                spec = DemoSpecs.ecsAlb(deploymentId, ecsAlb, alarm);
                if (scenario.failsSmokeTest()) {
                    canaryEndpoint = LocalCanaryEndpoint.answering(503);
                    DemoSpecs.withSmokeTestProbe(spec, ecsAlb.addTestListener(targets, canaryEndpoint.port()));
                }
                traffic = new TrafficSimulator(
                        targets, ecsAlb, scenario, DemoSpecs.PERIOD_SECONDS, REQUESTS_PER_PERIOD, seed);
            }
        }
        ReleaseDatabase database = null;
        if (withDatabase) {
            database = ReleaseDatabase.demo(targets, service, EcsAlbFixture.RELEASE_VERSION);
            DemoSpecs.withMigrations(spec, database, false);
        }
        if (scenario.needsWatch()) {
            DemoSpecs.withWatch(spec, DemoSpecs.WATCH_SECONDS);
        }
        if (placement != null) {
            placement.applyTo(spec);
        }
        traffic.seedHistory(began);
        traffic.start();
        return new Release(deploymentId, spec, fixture, traffic, began, database, canaryEndpoint);
    }

    /** A prepared release; closing it stops its traffic (and the canary's test endpoint, when it has one). */
    public record Release(
            String deploymentId,
            ObjectNode spec,
            Object fixture,
            TrafficSimulator traffic,
            Instant began,
            ReleaseDatabase database,
            LocalCanaryEndpoint canaryEndpoint)
            implements AutoCloseable {

        public EcsAlbFixture ecsAlbFixture() {
            return (EcsAlbFixture) fixture;
        }

        @Override
        public void close() {
            traffic.close();
            if (canaryEndpoint != null) {
                canaryEndpoint.close();
            }
        }
    }

    public String start(String executionName, ObjectNode spec) {
        return stack.sfn()
                .startExecution(start -> start.stateMachineArn(stack.stateMachineArn())
                        .name(executionName)
                        .input(Json.write(spec)))
                .executionArn();
    }

    /** An alarm on the canary's errors, as a team would keep one; the judge reads its state. */
    private String createCanaryAlarm(String service, String namespace, Map<String, String> dimensions) {
        String name = service + "-canary-errors";
        try (CloudWatchClient cloudWatch = targets.cloudWatch()) {
            cloudWatch.putMetricAlarm(alarm -> alarm.alarmName(name)
                    .namespace(namespace)
                    .metricName("Errors")
                    .dimensions(dimensions.entrySet().stream()
                            .map(entry -> Dimension.builder()
                                    .name(entry.getKey())
                                    .value(entry.getValue())
                                    .build())
                            .toList())
                    .statistic(Statistic.SUM)
                    .period(60)
                    .evaluationPeriods(1)
                    .threshold(1000.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
            cloudWatch.setAlarmState(
                    state -> state.alarmName(name).stateValue("OK").stateReason("no canary errors yet"));
        }
        return name;
    }
}
