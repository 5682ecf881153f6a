package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.decision.TickSchedule;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.errors.AwsUnavailableException;
import dev.tollgate.json.Json;
import dev.tollgate.judge.CheckVerdict;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.metrics.CloudWatchMetricSource;
import dev.tollgate.ops.HistoryReport;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import dev.tollgate.traffic.TrafficWeights;
import dev.tollgate.traffic.alb.AlbWeightedRouter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Whole deployments on the local stack: the real ASL in moto's Step Functions engine, the real
 * handlers behind the local Lambda endpoint, moto's ECS, ELBv2, CloudWatch and DynamoDB. The
 * tests run concurrently, each on its own service.
 */
@Execution(ExecutionMode.CONCURRENT)
class DeploymentIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    private static ScenarioRun.Result run(Scenario scenario, String service) throws InterruptedException {
        return run(scenario, DemoTarget.ECS_ALB, service);
    }

    private static ScenarioRun.Result run(Scenario scenario, DemoTarget target, String service)
            throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ScenarioRun.Result result = new ScenarioRun(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(scenario, target, service, 7);
        System.out.println(printed.toString(StandardCharsets.UTF_8));
        return result;
    }

    /** The listener's split with green (the first release's side) as the canary. */
    private static TrafficWeights listenerWeights(EcsAlbFixture fixture) {
        return LocalTargets.greenWeights(stack, fixture);
    }

    private static DynamoDeploymentStore store() {
        return new DynamoDeploymentStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
    }

    @Test
    void promotesAGoodReleaseToAllTrafficOnGreen() throws Exception {
        ScenarioRun.Result result = run(Scenario.GOOD, "good-svc");

        assertEquals("PROMOTED", result.outcome().status(), result.outcome().toString());
        assertEquals(TrafficWeights.canaryAt(100), listenerWeights(result.ecsAlbFixture()));
        DeploymentRecord record = store().find(result.outcome().deploymentId()).orElseThrow();
        assertEquals(DeploymentStatus.PROMOTED, record.status());
        assertTrue(store().lockHolder("good-svc").isEmpty(), "the lock is released");
        assertTrue(record.timeline().stream()
                .anyMatch(entry -> "Decide".equals(entry.state()) && "PASS".equals(entry.verdict())));
        EcsAlbFixture fixture = result.ecsAlbFixture();
        assertTrue(
                LocalTargets.service(stack, fixture, fixture.greenService()).tags().stream()
                        .anyMatch(tag -> AlbWeightedRouter.LIVE_DEPLOYMENT_TAG.equals(tag.key())
                                && record.deploymentId().equals(tag.value())),
                "green is recorded as the live side, so the next release goes to blue");
        assertEquals(
                0,
                LocalTargets.service(stack, fixture, fixture.blueService()).desiredCount(),
                "blue retired after its drain time");
        assertTrue(record.timeline().stream().anyMatch(entry -> "RetireOldVersion".equals(entry.state())));
    }

    @Test
    void failsAReleaseWhoseTasksNeverStartAndTouchesNoTraffic() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "breaker-svc");
        ObjectNode spec = DemoSpecs.ecsAlb("breaker-svc-v42", fixture, "breaker-svc-alarm");
        ((ObjectNode) spec.get("target")).put("taskDefinition", fixture.registerFailingRelease(stack, "v42-broken"));
        spec.put("override", true);

        String executionArn = new ScenarioRun(stack, System.out).start("breaker-svc-v42", spec);
        DescribeExecutionResponse execution =
                new ExecutionWatcher(stack.sfn(), System.out).follow(executionArn, Duration.ofMinutes(1));

        assertEquals("DeploymentFailed", execution.error());
        assertTrue(
                execution.cause().contains("failed in CheckCanaryHealth with CanaryUnhealthy: green deployment of"),
                execution.cause());
        assertTrue(
                execution.cause().contains("ECS deployment circuit breaker: tasks failed to start."),
                execution.cause());
        assertEquals(TrafficWeights.canaryAt(0), listenerWeights(fixture));
        assertEquals(
                0, LocalTargets.service(stack, fixture, fixture.greenService()).desiredCount());
        assertTrue(store().lockHolder("breaker-svc").isEmpty());
    }

    @Test
    void promotesAGoodLambdaReleaseThroughItsAliasRouting() throws Exception {
        ScenarioRun.Result result = run(Scenario.GOOD, DemoTarget.LAMBDA_ALIAS, "lambda-good");

        assertEquals("PROMOTED", result.outcome().status(), result.outcome().toString());
        GetAliasResponse alias = LocalTargets.alias(stack, result.lambdaAliasFixture());
        assertEquals("2", alias.functionVersion(), "the alias serves the version Tollgate published");
        assertTrue(alias.routingConfig() == null
                || alias.routingConfig().additionalVersionWeights().isEmpty());
    }

    @Test
    void rollsBackABadLambdaReleaseByClearingTheRouting() throws Exception {
        ScenarioRun.Result result = run(Scenario.BAD_ERRORS, DemoTarget.LAMBDA_ALIAS, "lambda-bad");

        assertEquals("ROLLED_BACK", result.outcome().status(), result.outcome().toString());
        assertTrue(
                result.outcome().reason().contains("error-rate: regression"),
                result.outcome().reason());
        GetAliasResponse alias = LocalTargets.alias(stack, result.lambdaAliasFixture());
        assertEquals("1", alias.functionVersion());
        assertTrue(alias.routingConfig() == null
                || alias.routingConfig().additionalVersionWeights().isEmpty());
    }

    @Test
    void promotesAGoodReleaseThatCodeDeployShiftsOnceTollgateLetsItsHookPass() throws Exception {
        ScenarioRun.Result result = run(Scenario.GOOD, DemoTarget.CODEDEPLOY, "codedeploy-good");

        assertEquals("PROMOTED", result.outcome().status(), result.outcome().toString());
        assertEquals("2", LocalTargets.alias(stack, result.lambdaAliasFixture()).functionVersion());
        assertTrue(store().lockHolder("codedeploy-good").isEmpty());
    }

    @Test
    void stopsCodeDeployWithRollbackOnAFailingVerdict() throws Exception {
        ScenarioRun.Result result = run(Scenario.BAD_ERRORS, DemoTarget.CODEDEPLOY, "codedeploy-bad");

        assertEquals("ROLLED_BACK", result.outcome().status(), result.outcome().toString());
        GetAliasResponse alias = LocalTargets.alias(stack, result.lambdaAliasFixture());
        assertEquals("1", alias.functionVersion());
        assertTrue(alias.routingConfig() == null
                || alias.routingConfig().additionalVersionWeights().isEmpty());
        try (var codeDeploy = stack.codeDeploy()) {
            assertEquals(
                    List.of(),
                    codeDeploy
                            .listDeployments(list -> list.applicationName(
                                            result.codeDeployFixture().application())
                                    .deploymentGroupName(
                                            result.codeDeployFixture().deploymentGroup())
                                    .includeOnlyStatusesWithStrings("InProgress"))
                            .deployments(),
                    "CodeDeploy's deployment was stopped");
        }
    }

    @Test
    void rollsBackAReleaseThatFailsSixPercentOfRequests() throws Exception {
        ScenarioRun.Result result = run(Scenario.BAD_ERRORS, "bad-svc");

        assertEquals("ROLLED_BACK", result.outcome().status(), result.outcome().toString());
        assertTrue(
                result.outcome().reason().contains("error-rate: regression: canary"),
                result.outcome().reason());
        assertTrue(
                result.outcome().reason().matches(".*canary \\d+\\.\\d+% \\(\\d+/\\d+\\) vs baseline .*"),
                result.outcome().reason());
        assertEquals(TrafficWeights.canaryAt(0), listenerWeights(result.ecsAlbFixture()));
        try (EcsClient ecs = stack.ecs()) {
            int greenDesired = ecs.describeServices(
                            d -> d.cluster(result.ecsAlbFixture().cluster())
                                    .services(result.ecsAlbFixture().greenService()))
                    .services()
                    .get(0)
                    .desiredCount();
            assertEquals(0, greenDesired, "the canary's tasks are stopped");
        }
        assertEquals(
                DeploymentStatus.ROLLED_BACK,
                store().find(result.outcome().deploymentId()).orElseThrow().status());
        assertTrue(store().lockHolder("bad-svc").isEmpty());
        assertRolledBackAtTheFirstStep(result);
    }

    /** No entry of the deployment's timeline has the canary beyond the first step's 10 %. */
    private static void assertRolledBackAtTheFirstStep(ScenarioRun.Result result) {
        DeploymentRecord record = store().find(result.outcome().deploymentId()).orElseThrow();
        assertTrue(
                record.timeline().stream()
                        .allMatch(entry -> entry.canaryWeight() == null || entry.canaryWeight() <= 10),
                "rolled back at the first step, 10 %: " + record.timeline());
    }

    @Test
    void rollsBackAReleaseTwiceAsSlowWithinTwoPeriodsOfItsFirstSlowOne() throws Exception {
        ScenarioRun.Result result = run(Scenario.BAD_LATENCY, "slow-svc");

        assertEquals("ROLLED_BACK", result.outcome().status(), result.outcome().toString());
        assertTrue(
                result.outcome().reason().contains("p95-latency: regression"),
                result.outcome().reason());
        assertRolledBackAtTheFirstStep(result);
        // The canary is slow from its first period. Fed the step's first two periods exactly as the analysis
        // reads them from CloudWatch, the judge fails it: it rolls back at the latest at the second tick.
        JsonNode firstBake = Json.MAPPER.readTree(new Deployments(stack)
                .history(result.executionArn()).stream()
                        .filter(event -> event.stateEnteredEventDetails() != null
                                && "WaitForFirstTick"
                                        .equals(event.stateEnteredEventDetails().name()))
                        .findFirst()
                        .orElseThrow()
                        .stateEnteredEventDetails()
                        .input());
        DeploymentSpec spec = new SpecValidator().validate(firstBake.get("spec"));
        StepProgress progress = Json.MAPPER.treeToValue(firstBake.get("progress"), StepProgress.class);
        int period = spec.analysis().periodSeconds();
        Instant twoPeriodsIn =
                Instant.ofEpochSecond((progress.stepStartedAt().getEpochSecond() / period + 1) * period + 2L * period);
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            StepVerdict verdict = new AnalysisService(
                            new CloudWatchMetricSource(cloudWatch),
                            new SequentialJudge(),
                            Clock.fixed(twoPeriodsIn.plus(TickSchedule.publicationAllowance(period)), ZoneOffset.UTC))
                    .analyse(spec, progress);
            CheckVerdict latency = verdict.checks().stream()
                    .filter(check -> check.name().equals("p95-latency"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(Verdict.FAIL, latency.verdict(), latency.reason());
            assertTrue(
                    latency.numbers().get("pairedPeriods") <= 2,
                    latency.numbers().toString());
        }
    }

    @Test
    void anInvalidSpecFailsBeforeAnySideEffect() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "invalid-svc");
        ObjectNode spec = DemoSpecs.ecsAlb("invalid-svc-v42", fixture, "invalid-svc-alarm");
        ((ObjectNode) spec.path("steps").get(1)).put("weight", 5);
        ((ObjectNode) spec.path("analysis").path("metrics").get(0)).put("tolerance", 0);
        spec.put("extra", true);

        String executionArn = new ScenarioRun(stack, System.out).start("invalid-svc-v42", spec);
        DescribeExecutionResponse execution =
                new ExecutionWatcher(stack.sfn(), System.out).follow(executionArn, Duration.ofMinutes(1));

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("dev.tollgate.errors.InvalidSpecException", execution.error());
        String message = HistoryReport.errorMessage(execution.cause());
        assertTrue(message.startsWith("invalid deployment spec, 3 problems: "), message);
        assertTrue(message.contains("$.steps[1].weight: 5 does not increase on the step before (10)"), message);
        assertTrue(message.contains("$.analysis.metrics[0].tolerance: 0 is out of range"), message);
        assertTrue(message.contains("$.extra: unknown field"), message);
        assertFalse(
                execution.cause().contains("\"stackTrace\":[\""), "no stack trace in the error: " + execution.cause());
        assertTrue(store().lockHolder("invalid-svc").isEmpty(), "nothing locked");
        assertTrue(store().find("invalid-svc-v42").isEmpty(), "no record written");
        assertEquals(TrafficWeights.canaryAt(0), listenerWeights(fixture), "no weight changed");
    }

    @Test
    void refusesASecondDeploymentOfAServiceWhileOneRuns() throws Exception {
        CompletableFuture<ScenarioRun.Result> first = CompletableFuture.supplyAsync(() -> {
            try {
                return run(Scenario.GOOD, "locked-svc");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        DeploymentRecord running = awaitRunning("locked-svc");
        EcsAlbFixture second = EcsAlbFixture.create(stack, "locked-svc-2");
        ObjectNode spec = DemoSpecs.ecsAlb("locked-svc-second", second, "locked-svc-alarm");
        spec.put("service", "locked-svc");

        String executionArn = new ScenarioRun(stack, System.out).start("locked-svc-second", spec);
        DescribeExecutionResponse refused =
                new ExecutionWatcher(stack.sfn(), System.out).follow(executionArn, Duration.ofMinutes(1));

        assertEquals(ExecutionStatus.FAILED, refused.status());
        assertEquals("dev.tollgate.errors.LockHeldException", refused.error());
        assertTrue(refused.cause().contains("locked by deployment " + running.deploymentId()), refused.cause());
        assertEquals(TrafficWeights.canaryAt(0), listenerWeights(second), "the refused deployment touched nothing");
        assertEquals("PROMOTED", first.get().outcome().status(), "the first deployment is unaffected");
    }

    private static DeploymentRecord awaitRunning(String service) throws InterruptedException {
        for (int attempt = 0; attempt < 300; attempt++) {
            var holder = store().lockHolder(service);
            if (holder.isPresent()) {
                return store().find(holder.get().deploymentId()).orElseThrow();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no deployment of " + service + " took the lock");
    }

    @Test
    void retriesATransientFailureAndStillPromotes() throws Exception {
        stack.lambdaEndpoint()
                .failNext(
                        "ShiftTrafficFunction",
                        event -> "retry-svc"
                                .equals(event.path("spec").path("service").asText()),
                        1,
                        () -> new AwsUnavailableException("injected: ELBv2 ModifyListener throttled"));

        ScenarioRun.Result result = run(Scenario.GOOD, "retry-svc");

        assertEquals("PROMOTED", result.outcome().status(), result.outcome().toString());
        long retriedFailures = stack
                .sfn()
                .getExecutionHistory(h -> h.executionArn(result.executionArn()).maxResults(1000))
                .events()
                .stream()
                .filter(event -> event.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED)
                .filter(event -> "dev.tollgate.errors.AwsUnavailableException"
                        .equals(event.lambdaFunctionFailedEventDetails().error()))
                .count();
        assertEquals(1, retriedFailures, "the injected failure happened once and the state machine retried it");
    }
}
