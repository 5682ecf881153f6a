package dev.tollgate.local;

import dev.tollgate.traffic.TrafficWeights;
import dev.tollgate.traffic.alb.AlbListener;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/** What the tests read back from the local stack's targets, independently of the routers under test. */
final class LocalTargets {

    private LocalTargets() {}

    /** The listener's split, with the green target group counted as the canary. */
    static TrafficWeights greenWeights(LocalStack stack, EcsAlbFixture fixture) {
        try (ElasticLoadBalancingV2Client elb = stack.elb()) {
            Map<String, Integer> weights = new AlbListener(elb, fixture.listenerArn(), null).weights();
            int blue = weights.getOrDefault(fixture.blueTargetGroupArn(), 0);
            int green = weights.getOrDefault(fixture.greenTargetGroupArn(), 0);
            return TrafficWeights.canaryAt((int) Math.round(100.0 * green / (blue + green)));
        }
    }

    /** Sets the listener by hand, as an operator would: weights on blue and green. */
    static void setListener(LocalStack stack, EcsAlbFixture fixture, int blue, int green) {
        try (ElasticLoadBalancingV2Client elb = stack.elb()) {
            new AlbListener(elb, fixture.listenerArn(), null)
                    .forward(Map.of(fixture.blueTargetGroupArn(), blue, fixture.greenTargetGroupArn(), green));
        }
    }

    static Service service(LocalStack stack, EcsAlbFixture fixture, String name) {
        try (EcsClient ecs = stack.ecs()) {
            return ecs.describeServices(
                            d -> d.cluster(fixture.cluster()).services(name).include(ServiceField.TAGS))
                    .services()
                    .get(0);
        }
    }

    static GetAliasResponse alias(LocalStack stack, LambdaAliasFixture fixture) {
        try (LambdaClient lambda = stack.lambda()) {
            return lambda.getAlias(
                    get -> get.functionName(fixture.functionName()).name(fixture.alias()));
        }
    }
}
