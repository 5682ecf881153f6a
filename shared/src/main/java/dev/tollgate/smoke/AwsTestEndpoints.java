package dev.tollgate.smoke;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.Placed;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.EcsAlbPlan;
import dev.tollgate.traffic.LambdaAliasPlan;
import dev.tollgate.traffic.ReleasePlan;
import dev.tollgate.traffic.alb.AlbListener;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * {@link TestEndpoints} on AWS. ECS_ALB: the spec's test listener is pointed at the canary's target
 * group (all of it, read back), as CodeDeploy reroutes an ECS blue/green test listener; the endpoint is
 * the load balancer's DNS name on that listener's port. LAMBDA_ALIAS: the canary version's qualified ARN.
 */
public final class AwsTestEndpoints implements TestEndpoints {

    private final Placed<ElasticLoadBalancingV2Client> elb;
    private final Placed<LambdaClient> lambda;

    /** Each client for the region and role the deployment's spec places its target in. */
    public AwsTestEndpoints(Placed<ElasticLoadBalancingV2Client> elb, Placed<LambdaClient> lambda) {
        this.elb = elb;
        this.lambda = lambda;
    }

    @Override
    public TestEndpoint prepare(DeploymentSpec spec, ReleasePlan plan) {
        if (plan instanceof EcsAlbPlan alb) {
            return testListener(elb.at(spec), spec.smokeTest().testListenerArn(), alb);
        }
        if (plan instanceof LambdaAliasPlan version) {
            String arn = call(
                    "Lambda GetFunctionConfiguration",
                    () -> lambda.at(spec)
                            .getFunctionConfiguration(get ->
                                    get.functionName(version.functionName()).qualifier(version.canaryVersion()))
                            .functionArn());
            String qualified = arn.endsWith(":" + version.canaryVersion()) ? arn : arn + ":" + version.canaryVersion();
            return TestEndpoint.lambdaVersion(qualified, version.canaryVersion());
        }
        throw new TargetStateConflictException("deployment " + spec.deploymentId() + ": no smoke test for a "
                + plan.getClass().getSimpleName());
    }

    private static TestEndpoint testListener(
            ElasticLoadBalancingV2Client elb, String testListenerArn, EcsAlbPlan plan) {
        AlbListener testRoute = new AlbListener(elb, testListenerArn, null);
        Map<String, Integer> canaryOnly = Map.of(plan.canaryTargetGroupArn(), 100);
        testRoute.forward(canaryOnly);
        Map<String, Integer> readBack = testRoute.weights();
        if (!readBack.keySet().equals(canaryOnly.keySet())) {
            throw new TargetStateConflictException(
                    "test listener " + testListenerArn + " forwards to " + readBack.keySet()
                            + " after being pointed at the canary's target group " + plan.canaryTargetGroupArn());
        }
        Listener listener = call(
                "ELBv2 DescribeListeners",
                () -> elb.describeListeners(describe -> describe.listenerArns(testListenerArn))
                        .listeners()
                        .get(0));
        String dnsName = call(
                "ELBv2 DescribeLoadBalancers",
                () -> elb.describeLoadBalancers(describe -> describe.loadBalancerArns(listener.loadBalancerArn()))
                        .loadBalancers()
                        .get(0)
                        .dnsName());
        String url = listener.protocolAsString().toLowerCase(Locale.ROOT) + "://" + dnsName + ":" + listener.port();
        return TestEndpoint.alb(url, testListenerArn, plan.canaryTargetGroupArn(), plan.canaryTaskDefinition());
    }
}
