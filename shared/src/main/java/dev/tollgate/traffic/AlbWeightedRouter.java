package dev.tollgate.traffic;

import dev.tollgate.errors.AwsErrors;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.spec.EcsAlbTarget;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * ECS blue/green behind one ALB: blue serves the live version, green gets the release, and the
 * listener's forward action (or a named listener rule's) splits traffic between their target groups.
 */
public final class AlbWeightedRouter implements TrafficRouter {

    private final EcsAlbTarget target;
    private final EcsClient ecs;
    private final ElasticLoadBalancingV2Client elb;

    public AlbWeightedRouter(EcsAlbTarget target, EcsClient ecs, ElasticLoadBalancingV2Client elb) {
        this.target = target;
        this.ecs = ecs;
        this.elb = elb;
    }

    @Override
    public String deployCanary() {
        TrafficWeights weights = currentWeights();
        if (weights.canaryPercent() != 0) {
            throw new TargetStateConflictException("green target group " + target.greenTargetGroupArn() + " already receives "
                    + weights.canaryPercent() + " % of traffic; a new release starts from 100 % blue. Finish or roll back "
                    + "the deployment that moved it, or set the listener to 100 % blue by hand");
        }
        Service blue = service(target.blueService());
        int desiredCount = Math.max(1, blue.desiredCount());
        call("ECS UpdateService", () -> ecs.updateService(update -> update.cluster(target.cluster())
                .service(target.greenService())
                .taskDefinition(target.taskDefinition())
                .desiredCount(desiredCount)
                .forceNewDeployment(false)));
        return "green service " + target.greenService() + " updated to " + target.taskDefinition() + " with "
                + desiredCount + " tasks (as blue)";
    }

    @Override
    public CanaryHealth canaryHealth() {
        Service green = service(target.greenService());
        Optional<Deployment> primary = green.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst();
        if (primary.isEmpty()) {
            return new CanaryHealth(false, "no primary deployment on " + target.greenService() + " yet");
        }
        Deployment deployment = primary.get();
        String seen = "running " + deployment.runningCount() + "/" + deployment.desiredCount() + " tasks of "
                + deployment.taskDefinition() + ", rollout " + deployment.rolloutStateAsString();
        if (!sameTaskDefinition(deployment.taskDefinition(), target.taskDefinition())) {
            throw new TargetStateConflictException("green service " + target.greenService() + " runs " + deployment.taskDefinition()
                    + ", not " + target.taskDefinition() + ": it was changed by someone else during the deployment");
        }
        if ("FAILED".equals(deployment.rolloutStateAsString())) {
            throw new CanaryUnhealthyException("green deployment failed: " + deployment.rolloutStateReason()
                    + " (" + deployment.failedTasks() + " failed tasks)");
        }
        boolean settled = deployment.rolloutState() == null || "COMPLETED".equals(deployment.rolloutStateAsString());
        boolean healthy = settled && deployment.desiredCount() > 0
                && deployment.runningCount().equals(deployment.desiredCount())
                && green.deployments().size() == 1;
        return new CanaryHealth(healthy, seen);
    }

    @Override
    public TrafficWeights shift(int canaryPercent) {
        return apply(TrafficWeights.canaryAt(canaryPercent));
    }

    @Override
    public TrafficWeights currentWeights() {
        List<Action> actions = target.listenerRuleArn() == null ? listener().defaultActions() : rule().actions();
        Action forward = actions.stream().filter(action -> action.type() == ActionTypeEnum.FORWARD).findFirst()
                .orElseThrow(() -> new TargetStateConflictException("the listener does not forward traffic; found "
                        + actions.stream().map(Action::typeAsString).toList()));
        int blue = 0;
        int green = 0;
        boolean sawBlue = false;
        boolean sawGreen = false;
        List<TargetGroupTuple> groups = forward.forwardConfig() == null ? List.of() : forward.forwardConfig().targetGroups();
        if (groups.isEmpty() && forward.targetGroupArn() != null) {
            groups = List.of(TargetGroupTuple.builder().targetGroupArn(forward.targetGroupArn()).weight(1).build());
        }
        int total = 0;
        for (TargetGroupTuple group : groups) {
            int weight = group.weight() == null ? 1 : group.weight();
            total += weight;
            if (group.targetGroupArn().equals(target.blueTargetGroupArn())) {
                blue += weight;
                sawBlue = true;
            } else if (group.targetGroupArn().equals(target.greenTargetGroupArn())) {
                green += weight;
                sawGreen = true;
            } else if (weight > 0) {
                throw new TargetStateConflictException("the listener forwards " + weight + " weight to " + group.targetGroupArn()
                        + ", which is neither the blue nor the green target group");
            }
        }
        if (!sawBlue && !sawGreen || total == 0) {
            throw new TargetStateConflictException("the listener forwards to neither the blue nor the green target group");
        }
        int canaryPercent = (int) Math.round(100.0 * green / (blue + green));
        return TrafficWeights.canaryAt(canaryPercent);
    }

    @Override
    public TrafficWeights promote() {
        return apply(TrafficWeights.canaryAt(100));
    }

    @Override
    public TrafficWeights rollback() {
        TrafficWeights weights = apply(TrafficWeights.canaryAt(0));
        // Traffic is safe first; stopping the canary's tasks comes after, and is itself safe to repeat.
        call("ECS UpdateService", () -> ecs.updateService(update -> update.cluster(target.cluster())
                .service(target.greenService()).desiredCount(0)));
        return weights;
    }

    private TrafficWeights apply(TrafficWeights wanted) {
        Action forward = Action.builder()
                .type(ActionTypeEnum.FORWARD)
                .forwardConfig(ForwardActionConfig.builder().targetGroups(
                        TargetGroupTuple.builder().targetGroupArn(target.blueTargetGroupArn()).weight(wanted.baselinePercent()).build(),
                        TargetGroupTuple.builder().targetGroupArn(target.greenTargetGroupArn()).weight(wanted.canaryPercent()).build())
                        .build())
                .build();
        if (target.listenerRuleArn() == null) {
            call("ELBv2 ModifyListener", () -> elb.modifyListener(modify -> modify.listenerArn(target.listenerArn()).defaultActions(forward)));
        } else {
            call("ELBv2 ModifyRule", () -> elb.modifyRule(modify -> modify.ruleArn(target.listenerRuleArn()).actions(forward)));
        }
        TrafficWeights applied = currentWeights();
        if (!applied.equals(wanted)) {
            throw new TargetStateConflictException("asked the listener for " + wanted + " but it reads back " + applied);
        }
        return applied;
    }

    private Listener listener() {
        return call("ELBv2 DescribeListeners", () -> elb.describeListeners(describe -> describe.listenerArns(target.listenerArn())))
                .listeners().stream().findFirst()
                .orElseThrow(() -> new TargetStateConflictException("listener " + target.listenerArn() + " not found"));
    }

    private Rule rule() {
        return call("ELBv2 DescribeRules", () -> elb.describeRules(describe -> describe.ruleArns(target.listenerRuleArn())))
                .rules().stream().findFirst()
                .orElseThrow(() -> new TargetStateConflictException("listener rule " + target.listenerRuleArn() + " not found"));
    }

    private Service service(String name) {
        DescribeServicesResponse response = call("ECS DescribeServices",
                () -> ecs.describeServices(describe -> describe.cluster(target.cluster()).services(name)));
        return response.services().stream().filter(service -> "ACTIVE".equals(service.status())).findFirst()
                .orElseThrow(() -> new TargetStateConflictException("ECS service " + name + " not found (or not ACTIVE) in cluster "
                        + target.cluster()));
    }

    /** Task definitions may be named by ARN or by family:revision. */
    static boolean sameTaskDefinition(String seen, String wanted) {
        if (seen == null) {
            return false;
        }
        return seen.equals(wanted) || seen.endsWith("/" + wanted);
    }

    private static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException failure) {
            throw AwsErrors.translate(operation, failure);
        }
    }
}
