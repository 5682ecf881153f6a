package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.cli.report.ReportPage;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.traffic.TrafficWeights;
import dev.tollgate.traffic.alb.AlbListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The smoke test at 0 % on the local stack, for both backends that have one: a canary that passes
 * goes on to its first step; one that fails is rolled back with traffic never having left the old
 * version (no ShiftTraffic in its history, the production route untouched) and the lock released.
 */
@Execution(ExecutionMode.CONCURRENT)
class SmokeTestIT {

    private static LocalStack stack;
    private static Deployments deployments;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
        deployments = new Deployments(stack);
    }

    private static boolean entered(List<HistoryEvent> history, String state) {
        return history.stream()
                .anyMatch(event -> event.stateEnteredEventDetails() != null
                        && state.equals(event.stateEnteredEventDetails().name()));
    }

    private static TimelineEntry smokeTestEntry(DeploymentRecord record) {
        return record.timeline().stream()
                .filter(entry -> "SmokeTestCanary".equals(entry.state()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no smoke test on the timeline: " + record.timeline()));
    }

    private static ObjectNode lambdaSpec(LambdaAliasFixture fixture) {
        String deploymentId =
                fixture.service() + "-" + Instant.now().toEpochMilli() + "-" + EcsAlbFixture.RELEASE_VERSION;
        ObjectNode spec = DemoSpecs.lambdaAlias(deploymentId, fixture, fixture.service() + "-canary-errors");
        spec.put("override", true);
        return spec;
    }

    private static Map<String, Integer> testListenerWeights(String testListenerArn) {
        try (ElasticLoadBalancingV2Client elb = stack.elb()) {
            return new AlbListener(elb, testListenerArn, null).weights();
        }
    }

    @Test
    void anEcsCanaryThatPassesTheProbeThroughTheTestListenerGoesOnToItsFirstStep() throws Exception {
        EcsAlbFixture fixture = deployments.fixture(Deployments.newService("smoke-ecs-pass"));
        try (LocalCanaryEndpoint canary = LocalCanaryEndpoint.answering(200)) {
            String testListener = fixture.addTestListener(stack, canary.port());
            ObjectNode spec = DemoSpecs.withSmokeTestProbe(deployments.spec(fixture), testListener);

            Deployments.Finished run = deployments.runUntil(spec, "Bake", Duration.ofMinutes(3));

            assertTrue(entered(run.history(), "ShiftTraffic"), "the first step was shifted after the smoke test");
            assertEquals(TrafficWeights.canaryAt(10), deployments.weights(fixture), "the first step's weight");
            assertTrue(canary.requests() >= 1, "the probe reached the canary");
            assertEquals(
                    Map.of(fixture.greenTargetGroupArn(), 100),
                    testListenerWeights(testListener),
                    "the test listener points at the canary's target group");
            TimelineEntry smokeTest =
                    smokeTestEntry(deployments.record(run.deploymentId()).orElseThrow());
            assertEquals("PASS", smokeTest.verdict());
            assertEquals(
                    "smoke test passed at 0 %: GET /health on http://127.0.0.1:" + canary.port()
                            + " answered 200 on attempt 1 of 2",
                    smokeTest.message());
        }
    }

    @Test
    void anEcsCanaryWhoseSmokeTestFunctionAnswersFailIsRolledBackBeforeAnyTrafficMoves() throws Exception {
        EcsAlbFixture fixture = deployments.fixture(Deployments.newService("smoke-ecs-fail"));
        String smokeFunction = LambdaAliasFixture.createSmokeTestFunction(stack, fixture.service());
        try (LocalCanaryEndpoint canary = LocalCanaryEndpoint.answering(503)) {
            String testListener = fixture.addTestListener(stack, canary.port());
            ObjectNode spec = DemoSpecs.withSmokeTestFunction(deployments.spec(fixture), smokeFunction, testListener);

            Deployments.Finished run = deployments.run(spec, Duration.ofMinutes(3));

            DeploymentRecord record = deployments.record(run.deploymentId()).orElseThrow();
            assertEquals(DeploymentStatus.ROLLED_BACK, record.status(), record.reason());
            assertTrue(
                    record.reason()
                            .startsWith("smoke test failed at 0 %: smoke-test function " + smokeFunction
                                    + " answered FAIL: GET /health on release "),
                    record.reason());
            assertTrue(record.reason().endsWith(" answered 503"), record.reason());
            assertFalse(entered(run.history(), "ShiftTraffic"), "no step was ever shifted");
            assertEquals(TrafficWeights.canaryAt(0), deployments.weights(fixture), "users stayed on the old version");
            assertEquals(1, canary.requests(), "the team's function probed the canary once");
            assertTrue(deployments.lockHolder(fixture.service()).isEmpty(), "the lock is released");
            assertEquals("FAIL", smokeTestEntry(record).verdict());
            String report = ReportPage.html(stack.rolloutReports().build(run.deploymentId()));
            assertTrue(
                    report.contains("SmokeTestCanary")
                            && report.contains("smoke test failed at 0 %: smoke-test function " + smokeFunction),
                    "the report tells the smoke test");
        }
    }

    @Test
    void aLambdaVersionThatPassesTheTeamsSmokeTestFunctionGoesOnToItsFirstStep() throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, Deployments.newService("smoke-fn-pass"));
        fixture.releaseAnswering(stack, 200);
        String smokeFunction = LambdaAliasFixture.createSmokeTestFunction(stack, fixture.service());
        ObjectNode spec = DemoSpecs.withSmokeTestFunction(lambdaSpec(fixture), smokeFunction, null);

        Deployments.Finished run = deployments.runUntil(spec, "Bake", Duration.ofMinutes(3));

        assertTrue(entered(run.history(), "ShiftTraffic"), "the first step was shifted after the smoke test");
        GetAliasResponse alias = LocalTargets.alias(stack, fixture);
        assertEquals(
                0.1,
                alias.routingConfig()
                        .additionalVersionWeights()
                        .values()
                        .iterator()
                        .next(),
                1e-9,
                alias.toString());
        TimelineEntry smokeTest =
                smokeTestEntry(deployments.record(run.deploymentId()).orElseThrow());
        assertEquals("PASS", smokeTest.verdict(), smokeTest.message());
        assertTrue(
                smokeTest.message().endsWith("answered PASS: GET /health on release 2 answered 200"),
                smokeTest.message());
    }

    @Test
    void aLambdaVersionThatFailsTheProbeIsRolledBackWithTheAliasNeverWeightingIt() throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, Deployments.newService("smoke-fn-fail"));
        fixture.releaseAnswering(stack, 500);
        ObjectNode spec = DemoSpecs.withSmokeTestProbe(lambdaSpec(fixture), null);

        Deployments.Finished run = deployments.run(spec, Duration.ofMinutes(3));

        DeploymentRecord record = deployments.record(run.deploymentId()).orElseThrow();
        assertEquals(DeploymentStatus.ROLLED_BACK, record.status(), record.reason());
        String version = "arn:aws:lambda:" + LocalStack.REGION + ":" + LocalStack.ACCOUNT + ":function:"
                + fixture.functionName() + ":2";
        // The release answers 500; under a busy machine moto's Python runtime may miss the spec's 2 s on an attempt,
        // which fails the probe as surely (seen once in a full run).
        assertTrue(
                record.reason()
                        .matches(
                                "smoke test failed at 0 %: GET /health on " + java.util.regex.Pattern.quote(version)
                                        + " answered HTTP 500, (HTTP 500|no answer within 2s) in 2 attempts \\(expected 200\\)"),
                record.reason());
        assertFalse(entered(run.history(), "ShiftTraffic"), "the alias was never weighted");
        GetAliasResponse alias = LocalTargets.alias(stack, fixture);
        assertEquals(fixture.liveVersion(), alias.functionVersion());
        assertTrue(
                alias.routingConfig() == null
                        || alias.routingConfig().additionalVersionWeights().isEmpty(),
                alias.toString());
        assertTrue(deployments.lockHolder(fixture.service()).isEmpty(), "the lock is released");
    }

    @Test
    void theDemosBadSmokeTestScenarioEndsRolledBackWithNoTrafficShifted() throws Exception {
        ScenarioRun.Result result = new ScenarioRun(stack, Deployments.quiet())
                .run(
                        Scenario.BAD_SMOKE_TEST,
                        DemoTarget.ECS_ALB,
                        Deployments.newService("smoke-demo"),
                        17,
                        spec -> spec,
                        Duration.ofMinutes(3));

        assertEquals("ROLLED_BACK", result.outcome().status(), result.outcome().toString());
        assertTrue(
                result.outcome().reason().startsWith("smoke test failed at 0 %: GET /health on http://127.0.0.1:"),
                result.outcome().reason());
        assertFalse(entered(deployments.history(result.executionArn()), "ShiftTraffic"), "no step was ever shifted");
        assertEquals(TrafficWeights.canaryAt(0), deployments.weights(result.ecsAlbFixture()));
    }
}
