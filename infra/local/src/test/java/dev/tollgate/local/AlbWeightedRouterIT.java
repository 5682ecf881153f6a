package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.EcsAlbPlan;
import dev.tollgate.traffic.TrafficWeights;
import dev.tollgate.traffic.alb.AlbWeightedRouter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/** The ECS + ALB backend against moto's ECS and ELBv2, through TrafficControl as the functions use it. */
@Execution(ExecutionMode.CONCURRENT)
class AlbWeightedRouterIT {

    private static LocalStack stack;
    /** One per test: a test may make its ledger crash. */
    private final TrafficHarness harness = new TrafficHarness(SharedLocalStack.get());

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    private DeploymentSpec deployment(EcsAlbFixture fixture, String deploymentId) {
        return harness.deployment(DemoSpecs.ecsAlb(deploymentId, fixture, fixture.service() + "-alarm"));
    }

    private DeploymentSpec deployed(EcsAlbFixture fixture, String deploymentId) throws InterruptedException {
        return harness.deployed(DemoSpecs.ecsAlb(deploymentId, fixture, fixture.service() + "-alarm"));
    }

    private static TrafficWeights green(EcsAlbFixture fixture) {
        return LocalTargets.greenWeights(stack, fixture);
    }

    private static Service service(EcsAlbFixture fixture, String name) {
        return LocalTargets.service(stack, fixture, name);
    }

    private static String tag(Service service, String key) {
        return service.tags().stream()
                .filter(tag -> key.equals(tag.key()))
                .map(Tag::value)
                .findFirst()
                .orElse(null);
    }

    @Test
    void promotesStepByStepThenRetiresTheOldSideAndTheNextReleaseGoesToTheOtherSide() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-next");
        DeploymentSpec first = deployed(fixture, "alb-next-v42");
        assertEquals("green", ((EcsAlbPlan) harness.record(first).plan()).canarySide());

        assertEquals(TrafficWeights.canaryAt(10), harness.traffic.shift(first, 10));
        assertEquals(TrafficWeights.canaryAt(50), harness.traffic.shift(first, 50));
        assertEquals(
                TrafficWeights.canaryAt(100), harness.traffic.promote(first).weights());
        assertEquals(TrafficWeights.canaryAt(100), green(fixture));
        assertEquals(
                "alb-next-v42", tag(service(fixture, fixture.greenService()), AlbWeightedRouter.LIVE_DEPLOYMENT_TAG));
        assertEquals(
                2,
                service(fixture, fixture.blueService()).desiredCount(),
                "the old side keeps its tasks while it drains");

        assertTrue(harness.traffic.retireOldVersion(first).contains("blue service alb-next-blue scaled to 0 tasks"));
        assertEquals(0, service(fixture, fixture.blueService()).desiredCount());

        ObjectNode nextSpec = DemoSpecs.ecsAlb("alb-next-v43", fixture, "alb-next-alarm");
        ((ObjectNode) nextSpec.get("target")).put("taskDefinition", fixture.registerRelease(stack, "v43"));
        DeploymentSpec next = harness.deployment(nextSpec);
        harness.traffic.deploy(next, PinnedSecrets.NONE);
        EcsAlbPlan plan = (EcsAlbPlan) harness.record(next).plan();
        assertEquals("green", plan.liveSide(), "green is live since the last promotion");
        assertEquals("blue", plan.canarySide(), "so this release goes to blue");
        assertEquals(
                2,
                service(fixture, fixture.blueService()).desiredCount(),
                "blue scaled back up, as many tasks as green");
        harness.awaitHealthy(next);
        harness.traffic.shift(next, 20);
        assertEquals(TrafficWeights.canaryAt(80), green(fixture), "20 % to blue, the canary");
        harness.traffic.promote(next);
        assertEquals(TrafficWeights.canaryAt(0), green(fixture), "all traffic on blue");
        assertEquals(
                "alb-next-v43", tag(service(fixture, fixture.blueService()), AlbWeightedRouter.LIVE_DEPLOYMENT_TAG));
    }

    @ParameterizedTest(name = "rolls back from {0} %")
    @ValueSource(ints = {0, 10, 50, 100})
    void rollsBackFromEachStepIncludingAfterThePromotion(int weight) throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-rb-" + weight);
        DeploymentSpec spec = deployed(fixture, "alb-rb-" + weight + "-v42");
        harness.moveTo(spec, weight);

        assertEquals(TrafficWeights.canaryAt(0), harness.traffic.rollback(spec).weights());

        assertEquals(TrafficWeights.canaryAt(0), green(fixture));
        assertEquals(0, service(fixture, fixture.greenService()).desiredCount(), "the canary's tasks are stopped");
        Service blue = service(fixture, fixture.blueService());
        if (weight == 100) {
            assertEquals(
                    "alb-rb-100-v42",
                    tag(blue, AlbWeightedRouter.LIVE_DEPLOYMENT_TAG),
                    "the tags say blue is live again");
        }
        DeploymentSpec next = harness.deployment(DemoSpecs.ecsAlb("alb-rb-" + weight + "-v43", fixture, "alarm"));
        assertEquals(
                "green",
                ((EcsAlbPlan) harness.traffic.deploy(next, PinnedSecrets.NONE).plan()).canarySide(),
                "the next release goes to green again");
    }

    @Test
    void everyCallMadeTwiceLandsOnTheSameState() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-twice");
        DeploymentSpec spec = deployment(fixture, "alb-twice-v42");

        String deployed = harness.traffic.deploy(spec, PinnedSecrets.NONE).detail();
        assertEquals(deployed, harness.traffic.deploy(spec, PinnedSecrets.NONE).detail());
        harness.awaitHealthy(spec);
        assertEquals(
                1,
                service(fixture, fixture.greenService()).deployments().size(),
                "the second UpdateService started nothing new");
        assertEquals(harness.traffic.health(spec), harness.traffic.health(spec));
        assertEquals(harness.traffic.shift(spec, 30), harness.traffic.shift(spec, 30));
        assertEquals(
                harness.traffic.promote(spec).weights(),
                harness.traffic.promote(spec).weights());
        assertEquals(harness.traffic.retireOldVersion(spec), harness.traffic.retireOldVersion(spec));
        assertEquals(TrafficWeights.canaryAt(100), green(fixture));
        assertEquals(0, service(fixture, fixture.blueService()).desiredCount());
    }

    @Test
    void aRollbackTwiceLandsOnTheSameState() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-rb-twice");
        DeploymentSpec spec = deployed(fixture, "alb-rb-twice-v42");
        harness.traffic.shift(spec, 30);

        assertEquals(harness.traffic.rollback(spec), harness.traffic.rollback(spec));
        assertEquals(TrafficWeights.canaryAt(0), green(fixture));
    }

    @Test
    void rollsBackAfterACrashBetweenTheWeightAndTheRecord() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-crash");
        DeploymentSpec spec = deployed(fixture, "alb-crash-v42");
        harness.traffic.shift(spec, 10);
        harness.ledger.crashOnSave(1);

        assertThrows(TrafficHarness.SimulatedCrash.class, () -> harness.traffic.shift(spec, 50));
        assertEquals(TrafficWeights.canaryAt(50), green(fixture), "the weight was set, its record was not");
        assertEquals(10, harness.record(spec).confirmedCanaryPercent());

        assertEquals(TrafficWeights.canaryAt(0), harness.traffic.rollback(spec).weights());
        assertEquals(TrafficWeights.canaryAt(0), green(fixture));
    }

    @Test
    void retriesAShiftAfterACrashBetweenTheWeightAndTheRecord() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-retry");
        DeploymentSpec spec = deployed(fixture, "alb-retry-v42");
        harness.ledger.crashOnSave(1);
        assertThrows(TrafficHarness.SimulatedCrash.class, () -> harness.traffic.shift(spec, 10));

        assertEquals(
                TrafficWeights.canaryAt(10),
                harness.traffic.shift(spec, 10),
                "the retry accepts the weight it was setting");
        assertEquals(10, harness.record(spec).confirmedCanaryPercent());
    }

    @Test
    void refusesToShiftAListenerChangedByHandMidDeployment() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-hand");
        DeploymentSpec spec = deployed(fixture, "alb-hand-v42");
        harness.traffic.shift(spec, 10);
        LocalTargets.setListener(stack, fixture, 60, 40);

        TargetStateConflictException conflict =
                assertThrows(TargetStateConflictException.class, () -> harness.traffic.shift(spec, 50));

        assertTrue(
                conflict.getMessage()
                        .startsWith("refusing to shift to 50 %: the target sends 40 % to the canary, but Tollgate "
                                + "last set 10 %"),
                conflict.getMessage());
        assertEquals(TrafficWeights.canaryAt(40), green(fixture), "nothing moved");
    }

    @Test
    void refusesToShiftWhenSomeoneDeployedSomethingElseOnTheCanarySide() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-other-td");
        DeploymentSpec spec = deployed(fixture, "alb-other-td-v42");
        try (var ecs = stack.ecs()) {
            ecs.updateService(update -> update.cluster(fixture.cluster())
                    .service(fixture.greenService())
                    .taskDefinition(fixture.liveTaskDefinition()));
        }

        TargetStateConflictException conflict =
                assertThrows(TargetStateConflictException.class, () -> harness.traffic.shift(spec, 10));

        assertTrue(
                conflict.getMessage().contains("changed by someone else during the deployment"), conflict.getMessage());
        assertEquals(TrafficWeights.canaryAt(0), green(fixture));
    }

    @Test
    void refusesToStartOnAListenerSomeoneAlreadySplit() {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-split");
        LocalTargets.setListener(stack, fixture, 80, 20);
        DeploymentSpec spec = deployment(fixture, "alb-split-v42");

        TargetStateConflictException conflict = assertThrows(
                TargetStateConflictException.class, () -> harness.traffic.deploy(spec, PinnedSecrets.NONE));

        assertTrue(
                conflict.getMessage().contains("splits traffic 80 % to alb-split-blue and 20 % to alb-split-green"),
                conflict.getMessage());
        assertEquals(0, service(fixture, fixture.greenService()).desiredCount(), "nothing was deployed");
        assertTrue(harness.ledger.find(spec.deploymentId()).isEmpty(), "no plan, so a rollback leaves it alone");
        assertEquals(
                TrafficWeights.canaryAt(0),
                harness.traffic.rollback(spec).weights(),
                "nothing of this release to undo");
        assertEquals(TrafficWeights.canaryAt(20), green(fixture), "and the split someone else made is left as it was");
    }

    @Test
    void refusesANextReleaseWhenTrafficWasMovedAwayFromTheSideTollgatePromoted() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-moved");
        DeploymentSpec first = deployed(fixture, "alb-moved-v42");
        harness.traffic.promote(first);
        LocalTargets.setListener(stack, fixture, 100, 0);

        DeploymentSpec next = deployment(fixture, "alb-moved-v43");
        TargetStateConflictException conflict = assertThrows(
                TargetStateConflictException.class, () -> harness.traffic.deploy(next, PinnedSecrets.NONE));

        assertTrue(
                conflict.getMessage()
                        .contains("the listener sends all traffic to alb-moved-blue, but Tollgate last made "
                                + "alb-moved-green live (alb-moved-v42 at "),
                conflict.getMessage());
        assertTrue(
                conflict.getMessage().contains("remove the tollgate:live-since tag from alb-moved-green"),
                conflict.getMessage());
    }

    @Test
    void doesNotRetireAnOldSideThatTakesTrafficAgain() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-drain");
        DeploymentSpec spec = deployed(fixture, "alb-drain-v42");
        harness.traffic.promote(spec);
        LocalTargets.setListener(stack, fixture, 50, 50);

        TargetStateConflictException conflict =
                assertThrows(TargetStateConflictException.class, () -> harness.traffic.retireOldVersion(spec));

        assertTrue(conflict.getMessage().contains("not scaling alb-drain-blue down"), conflict.getMessage());
        assertEquals(2, service(fixture, fixture.blueService()).desiredCount());
    }

    @Test
    void failsTheCanaryWhenTheDeploymentCircuitBreakerTrips() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-breaker");
        ObjectNode failing = DemoSpecs.ecsAlb("alb-breaker-v42", fixture, "alarm");
        ((ObjectNode) failing.get("target")).put("taskDefinition", fixture.registerFailingRelease(stack, "v42-broken"));
        DeploymentSpec spec = harness.deployment(failing);
        harness.traffic.deploy(spec, PinnedSecrets.NONE);
        Thread.sleep(2_500);

        CanaryUnhealthyException unhealthy =
                assertThrows(CanaryUnhealthyException.class, () -> harness.traffic.health(spec));

        assertTrue(
                unhealthy.getMessage().contains("failed: ECS deployment circuit breaker: tasks failed to start."),
                unhealthy.getMessage());
        assertEquals(TrafficWeights.canaryAt(0), harness.traffic.rollback(spec).weights());
        assertEquals(0, service(fixture, fixture.greenService()).desiredCount());
    }

    @Test
    void weightsANamedListenerRuleInsteadOfTheDefaultAction() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "alb-rule");
        String rule;
        try (ElasticLoadBalancingV2Client elb = stack.elb()) {
            rule = elb.createRule(create -> create.listenerArn(fixture.listenerArn())
                            .priority(10)
                            .conditions(RuleCondition.builder()
                                    .field("path-pattern")
                                    .values("/api/*")
                                    .build())
                            .actions(Action.builder()
                                    .type(ActionTypeEnum.FORWARD)
                                    .targetGroupArn(fixture.blueTargetGroupArn())
                                    .build()))
                    .rules()
                    .get(0)
                    .ruleArn();
        }
        ObjectNode ruled = DemoSpecs.ecsAlb("alb-rule-v42", fixture, "alarm");
        ((ObjectNode) ruled.get("target")).put("listenerRuleArn", rule);
        DeploymentSpec spec = harness.deployment(ruled);
        harness.traffic.deploy(spec, PinnedSecrets.NONE);
        harness.awaitHealthy(spec);

        assertEquals(TrafficWeights.canaryAt(25), harness.traffic.shift(spec, 25));
        assertEquals(TrafficWeights.canaryAt(0), green(fixture), "the listener's default action is untouched");
    }
}
