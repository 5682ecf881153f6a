package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.json.Json;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.CodeDeployPlan;
import dev.tollgate.traffic.TrafficOutcome;
import dev.tollgate.traffic.TrafficWeights;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/**
 * The CodeDeploy backend against moto's CodeDeploy as the launcher extends it: deployments shift the
 * Lambda alias on their own schedule (one real minute per interval), invoke Tollgate's hook function
 * on the local Lambda endpoint, stop and roll back. The two tests that wait for CodeDeploy's interval
 * run beside the others.
 */
@Execution(ExecutionMode.CONCURRENT)
class CodeDeployRouterIT {

    private final LocalStack stack = SharedLocalStack.get();
    /** One per test: a test may make its ledger crash. */
    private final TrafficHarness harness = new TrafficHarness(stack);

    private DeploymentSpec deployment(CodeDeployFixture fixture, String deploymentId) {
        return harness.deployment(DemoSpecs.codeDeploy(deploymentId, fixture, "alarm"));
    }

    private DeploymentSpec deployed(CodeDeployFixture fixture, String deploymentId) throws InterruptedException {
        return harness.deployed(DemoSpecs.codeDeploy(deploymentId, fixture, "alarm"));
    }

    private GetAliasResponse alias(CodeDeployFixture fixture) {
        return LocalTargets.alias(stack, fixture.function());
    }

    private static Map<String, Double> routing(GetAliasResponse alias) {
        return alias.routingConfig() == null ? Map.of() : alias.routingConfig().additionalVersionWeights();
    }

    private DeploymentInfo codeDeployment(String id) {
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            return codeDeploy.getDeployment(get -> get.deploymentId(id)).deploymentInfo();
        }
    }

    private String codeDeploymentId(DeploymentSpec spec) {
        return ((CodeDeployPlan) harness.record(spec).plan()).codeDeployDeploymentId();
    }

    private List<String> activeDeployments(CodeDeployFixture fixture) {
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            return codeDeploy
                    .listDeployments(list -> list.applicationName(fixture.application())
                            .deploymentGroupName(fixture.deploymentGroup())
                            .includeOnlyStatusesWithStrings("Created", "Queued", "InProgress", "Baking", "Ready"))
                    .deployments();
        }
    }

    /** The step started, as WatchTrafficShift notes it, and the judge's verdicts so far. */
    private void judging(DeploymentSpec spec, String verdict) {
        Instant now = Instant.now();
        harness.store.append(
                spec.deploymentId(),
                new TimelineEntry(
                        TimelineEntry.STEP_SHIFTED_PREFIX + "0", now, "WatchTrafficShift", "step 1/2", 0, 10, null));
        harness.store.append(
                spec.deploymentId(), new TimelineEntry("tick-0", now, "Decide", "CONTINUE_BAKING", 0, 10, verdict));
    }

    /** CodeDeploy shifts the rest when its one-minute interval ends, then calls AfterAllowTraffic, which Tollgate parks. */
    private void awaitParkedHook(DeploymentSpec spec) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (harness.ledger.parkedLifecycleHooks(spec.deploymentId()).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("CodeDeploy did not call AfterAllowTraffic within 90 s");
            }
            Thread.sleep(500);
        }
    }

    private TrafficOutcome awaitSettled(java.util.function.Supplier<TrafficOutcome> poll) throws InterruptedException {
        Instant deadline = Instant.now().plus(TrafficHarness.SETTLE_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            TrafficOutcome outcome = poll.get();
            if (outcome.settled()) {
                return outcome;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not settled after " + TrafficHarness.SETTLE_WITHIN);
    }

    @Test
    void promotesWhenTollgateAnswersTheHookCodeDeployWaitsOn() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-promote");
        DeploymentSpec spec = deployed(fixture, "cd-promote-v42");
        assertEquals(TrafficWeights.canaryAt(10), harness.traffic.watch(spec), "the canary increment");
        assertEquals(Map.of("2", 0.1), routing(alias(fixture)));
        judging(spec, "PASS");

        assertFalse(harness.traffic.promote(spec).settled(), "CodeDeploy holds 10 % until its interval ends");
        awaitParkedHook(spec);
        assertEquals("2", alias(fixture).functionVersion(), "CodeDeploy shifted the rest");
        assertEquals(
                DeploymentStatus.IN_PROGRESS,
                codeDeployment(codeDeploymentId(spec)).status(),
                "and waits on the hook");

        TrafficOutcome promoted = awaitSettled(() -> harness.traffic.promote(spec));

        assertEquals(TrafficWeights.canaryAt(100), promoted.weights());
        assertEquals(
                DeploymentStatus.SUCCEEDED,
                codeDeployment(codeDeploymentId(spec)).status());
        assertEquals(List.of(), harness.ledger.parkedLifecycleHooks(spec.deploymentId()));
        assertTrue(harness.traffic.promote(spec).settled(), "promoting again changes nothing");
    }

    @Test
    void rollsBackWhileCodeDeployWaitsOnTheHookAtFullTraffic() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-rb-full");
        DeploymentSpec spec = deployed(fixture, "cd-rb-full-v42");
        judging(spec, "INCONCLUSIVE");
        awaitParkedHook(spec);
        assertEquals("2", alias(fixture).functionVersion());

        TrafficOutcome rolledBack = awaitSettled(() -> harness.traffic.rollback(spec));

        assertEquals(TrafficWeights.canaryAt(0), rolledBack.weights());
        assertEquals("1", alias(fixture).functionVersion());
        assertEquals(Map.of(), routing(alias(fixture)));
        DeploymentInfo stopped = codeDeployment(codeDeploymentId(spec));
        assertEquals(DeploymentStatus.STOPPED, stopped.status());
        assertEquals(
                DeploymentStatus.SUCCEEDED,
                codeDeployment(stopped.rollbackInfo().rollbackDeploymentId()).status());
    }

    @Test
    void rollsBackDuringTheCanaryWindow() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-rb-canary");
        DeploymentSpec spec = deployed(fixture, "cd-rb-canary-v42");

        TrafficOutcome rolledBack = awaitSettled(() -> harness.traffic.rollback(spec));

        assertTrue(rolledBack.detail().contains("Stopped; rollback deployment"), rolledBack.detail());
        assertEquals("1", alias(fixture).functionVersion());
        assertEquals(Map.of(), routing(alias(fixture)));
        assertEquals(List.of(), activeDeployments(fixture));
    }

    @Test
    void everyCallMadeTwiceLandsOnTheSameState() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-twice");
        DeploymentSpec spec = deployment(fixture, "cd-twice-v42");

        String first = harness.traffic.deploy(spec, PinnedSecrets.NONE).plan().toString();
        assertEquals(
                first, harness.traffic.deploy(spec, PinnedSecrets.NONE).plan().toString());
        assertEquals(1, activeDeployments(fixture).size(), "one CodeDeploy deployment, however often it is asked for");
        harness.awaitHealthy(spec);
        assertEquals(harness.traffic.health(spec), harness.traffic.health(spec));
        assertEquals(harness.traffic.watch(spec), harness.traffic.watch(spec));
        TrafficOutcome rolledBack = awaitSettled(() -> harness.traffic.rollback(spec));
        assertEquals(
                rolledBack,
                harness.traffic.rollback(spec),
                "the second rollback finds the deployment stopped and rolled back");
        assertEquals("1", alias(fixture).functionVersion());
    }

    @Test
    void aDeployRetriedAfterACrashFindsTheDeploymentItCreated() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-crash-retry");
        DeploymentSpec spec = deployment(fixture, "cd-crash-retry-v42");
        harness.ledger.crashOnSave(1);
        assertThrows(TrafficHarness.SimulatedCrash.class, () -> harness.traffic.deploy(spec, PinnedSecrets.NONE));
        List<String> created = activeDeployments(fixture);
        assertEquals(1, created.size());

        String retried = codeDeploymentIdAfter(() -> harness.traffic.deploy(spec, PinnedSecrets.NONE), spec);

        assertEquals(created.get(0), retried, "found by its description, not created twice");
        assertEquals(1, activeDeployments(fixture).size());
    }

    private String codeDeploymentIdAfter(Runnable call, DeploymentSpec spec) {
        call.run();
        return codeDeploymentId(spec);
    }

    @Test
    void rollsBackAfterACrashBetweenCreatingTheDeploymentAndTheRecord() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-crash-rb");
        DeploymentSpec spec = deployment(fixture, "cd-crash-rb-v42");
        harness.ledger.crashOnSave(1);
        assertThrows(TrafficHarness.SimulatedCrash.class, () -> harness.traffic.deploy(spec, PinnedSecrets.NONE));
        assertEquals(null, codeDeploymentId(spec), "the record never learnt the deployment's id");
        Thread.sleep(1_000);
        assertEquals(Map.of("2", 0.1), routing(alias(fixture)), "yet CodeDeploy shifted the canary increment");

        TrafficOutcome rolledBack = awaitSettled(() -> harness.traffic.rollback(spec));

        assertEquals(TrafficWeights.canaryAt(0), rolledBack.weights());
        assertEquals(Map.of(), routing(alias(fixture)));
        assertEquals(List.of(), activeDeployments(fixture));
    }

    @Test
    void failsWhenSomeoneStopsTheDeploymentByHand() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-hand-stop");
        DeploymentSpec spec = deployed(fixture, "cd-hand-stop-v42");
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            codeDeploy.stopDeployment(
                    stop -> stop.deploymentId(codeDeploymentId(spec)).autoRollbackEnabled(true));
        }

        CanaryUnhealthyException stopped =
                assertThrows(CanaryUnhealthyException.class, () -> harness.traffic.watch(spec));

        assertTrue(stopped.getMessage().contains("ended Stopped"), stopped.getMessage());
        assertTrue(awaitSettled(() -> harness.traffic.rollback(spec)).settled(), "the rollback path ends cleanly");
    }

    @Test
    void refusesAnAliasWeightedByHandMidDeployment() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-hand-alias");
        DeploymentSpec spec = deployed(fixture, "cd-hand-alias-v42");
        try (LambdaClient lambda = stack.lambda()) {
            lambda.updateAlias(update -> update.functionName(fixture.function().functionName())
                    .name("live")
                    .functionVersion("1")
                    .routingConfig(routing -> routing.additionalVersionWeights(Map.of("2", 0.073))));
        }

        TargetStateConflictException conflict =
                assertThrows(TargetStateConflictException.class, () -> harness.traffic.watch(spec));

        assertTrue(conflict.getMessage().contains("0.073 is not a whole percent"), conflict.getMessage());
        awaitSettled(() -> harness.traffic.rollback(spec));
        assertEquals(Map.of(), routing(alias(fixture)));
    }

    @Test
    void refusesToStartWhileAnotherDeploymentOfTheGroupRuns() {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-busy");
        String appSpec =
                "{\"version\":0.0,\"Resources\":[{\"f\":{\"Type\":\"AWS::Lambda::Function\",\"Properties\":{\"Name\":\""
                        + fixture.function().functionName()
                        + "\",\"Alias\":\"live\",\"CurrentVersion\":\"1\",\"TargetVersion\":\"1\"}}}]}";
        String byHand;
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            byHand = codeDeploy
                    .createDeployment(create -> create.applicationName(fixture.application())
                            .deploymentGroupName(fixture.deploymentGroup())
                            .deploymentConfigName("CodeDeployDefault.LambdaCanary10Percent5Minutes")
                            .revision(revision -> revision.revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                                    .appSpecContent(content -> content.content(appSpec))))
                    .deploymentId();
        }
        DeploymentSpec spec = deployment(fixture, "cd-busy-v42");

        TargetStateConflictException conflict = assertThrows(
                TargetStateConflictException.class, () -> harness.traffic.deploy(spec, PinnedSecrets.NONE));

        assertTrue(
                conflict.getMessage().contains("already runs CodeDeploy deployment " + byHand), conflict.getMessage());
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            codeDeploy.stopDeployment(stop -> stop.deploymentId(byHand));
        }
    }

    @Test
    void watchesAnEcsDeploymentGroupThroughItsTaskSetsWeights() throws Exception {
        String taskDefinition = CodeDeployFixture.ecsRelease(
                stack,
                "cd-ecs",
                ContainerDefinition.builder()
                        .name("app")
                        .image("registry.example/cd-ecs:v42")
                        .memory(512)
                        .build());
        ObjectNode spec = (ObjectNode) Json.tree("""
                {"deploymentId": "cd-ecs-v42", "service": "cd-ecs",
                 "target": {"type": "CODEDEPLOY", "application": "cd-ecs", "deploymentGroup": "cd-ecs-prod",
                            "ecs": {"containerName": "app", "containerPort": 8080}},
                 "steps": [{"weight": 10, "bakeSeconds": 60}, {"weight": 100}],
                 "analysis": {"periodSeconds": 5, "alarms": ["cd-ecs-alarm"],
                   "canaryDimensions": {"Service": "cd-ecs", "TaskDefinition": "{canaryVersion}"},
                   "baselineDimensions": {"Service": "cd-ecs", "TaskDefinition": "cd-ecs:0"}}}""");
        ((ObjectNode) spec.get("target").get("ecs")).put("taskDefinition", taskDefinition);
        DeploymentSpec ecsSpec = harness.deployment(spec);

        assertTrue(harness.traffic
                .deploy(ecsSpec, PinnedSecrets.NONE)
                .detail()
                .contains("Tollgate-ECS-Canary10Percent1Minutes"));
        harness.awaitHealthy(ecsSpec);

        assertEquals(
                TrafficWeights.canaryAt(10), harness.traffic.watch(ecsSpec), "read from the green task set's weight");
        TrafficOutcome rolledBack = awaitSettled(() -> harness.traffic.rollback(ecsSpec));
        assertNotNull(rolledBack);
        assertEquals(
                DeploymentStatus.STOPPED,
                codeDeployment(codeDeploymentId(ecsSpec)).status());
    }
}
