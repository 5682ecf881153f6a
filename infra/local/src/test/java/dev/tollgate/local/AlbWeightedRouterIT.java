package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.spec.EcsAlbTarget;
import dev.tollgate.traffic.AlbWeightedRouter;
import dev.tollgate.traffic.TrafficWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/** The ECS + ALB backend against moto's ECS and ELBv2. */
class AlbWeightedRouterIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    private static EcsAlbTarget target(EcsAlbFixture fixture, String ruleArn) {
        return new EcsAlbTarget(fixture.cluster(), fixture.blueService(), fixture.greenService(), fixture.listenerArn(), ruleArn,
                fixture.blueTargetGroupArn(), fixture.greenTargetGroupArn(), fixture.releaseTaskDefinition(), 60);
    }

    private static int greenDesiredCount(EcsClient ecs, EcsAlbFixture fixture) {
        return ecs.describeServices(d -> d.cluster(fixture.cluster()).services(fixture.greenService())).services().get(0).desiredCount();
    }

    @Test
    void deploysShiftsAndPromotesReadingEveryWeightBack() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "router-a");
        try (EcsClient ecs = stack.ecs(); ElasticLoadBalancingV2Client elb = stack.elb()) {
            AlbWeightedRouter router = new AlbWeightedRouter(target(fixture, null), ecs, elb);

            assertTrue(router.deployCanary().contains("with 2 tasks (as blue)"));
            assertEquals(2, greenDesiredCount(ecs, fixture));
            Thread.sleep(2_500);
            assertTrue(router.canaryHealth().healthy());
            assertEquals(TrafficWeights.canaryAt(5), router.shift(5));
            assertEquals(TrafficWeights.canaryAt(5), router.shift(5), "shifting again changes nothing");
            assertEquals(TrafficWeights.canaryAt(100), router.promote());
            assertEquals(TrafficWeights.canaryAt(100), router.currentWeights());
        }
    }

    @Test
    void rollsBackFromAHalfAppliedShift() {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "router-b");
        try (EcsClient ecs = stack.ecs(); ElasticLoadBalancingV2Client elb = stack.elb()) {
            AlbWeightedRouter router = new AlbWeightedRouter(target(fixture, null), ecs, elb);
            router.deployCanary();
            router.shift(30);

            assertEquals(TrafficWeights.canaryAt(0), router.rollback());
            assertEquals(0, greenDesiredCount(ecs, fixture), "the canary's tasks are stopped");
            assertEquals(TrafficWeights.canaryAt(0), router.rollback(), "a second rollback is harmless");
        }
    }

    @Test
    void refusesToStartOnAListenerSomeoneAlreadySplit() {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "router-c");
        try (EcsClient ecs = stack.ecs(); ElasticLoadBalancingV2Client elb = stack.elb()) {
            AlbWeightedRouter router = new AlbWeightedRouter(target(fixture, null), ecs, elb);
            router.shift(20);

            TargetStateConflictException conflict = assertThrows(TargetStateConflictException.class, router::deployCanary);
            assertTrue(conflict.getMessage().contains("already receives 20 % of traffic"), conflict.getMessage());
            assertEquals(0, greenDesiredCount(ecs, fixture), "nothing was deployed");
        }
    }

    @Test
    void weightsANamedListenerRuleInsteadOfTheDefaultAction() {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "router-d");
        try (EcsClient ecs = stack.ecs(); ElasticLoadBalancingV2Client elb = stack.elb()) {
            String rule = elb.createRule(create -> create.listenerArn(fixture.listenerArn()).priority(10)
                    .conditions(condition -> condition.field("path-pattern").values("/api/*"))
                    .actions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(fixture.blueTargetGroupArn()).build()))
                    .rules().get(0).ruleArn();
            AlbWeightedRouter router = new AlbWeightedRouter(target(fixture, rule), ecs, elb);

            assertEquals(TrafficWeights.canaryAt(0), router.currentWeights(), "a plain forward to blue reads as 0 % canary");
            assertEquals(TrafficWeights.canaryAt(25), router.shift(25));
            AlbWeightedRouter defaultAction = new AlbWeightedRouter(target(fixture, null), ecs, elb);
            assertEquals(TrafficWeights.canaryAt(0), defaultAction.currentWeights(), "the listener's default action is untouched");
        }
    }
}
