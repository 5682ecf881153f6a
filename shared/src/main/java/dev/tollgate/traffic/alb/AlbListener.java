package dev.tollgate.traffic.alb;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.errors.TargetStateConflictException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * The weighted forward action of an ALB listener, or of one of its rules: reads the weight of each
 * target group and replaces them all at once.
 */
public final class AlbListener {

    private final ElasticLoadBalancingV2Client elb;
    private final String listenerArn;
    private final String ruleArn;

    public AlbListener(ElasticLoadBalancingV2Client elb, String listenerArn, String ruleArn) {
        this.elb = elb;
        this.listenerArn = listenerArn;
        this.ruleArn = ruleArn;
    }

    /** Weight per target group ARN, in the order the action lists them; a plain forward counts as weight 1. */
    public Map<String, Integer> weights() {
        List<Action> actions = ruleArn == null ? listenerActions() : ruleActions();
        Action forward = actions.stream()
                .filter(action -> action.type() == ActionTypeEnum.FORWARD)
                .findFirst()
                .orElseThrow(() -> new TargetStateConflictException(
                        (ruleArn == null ? "the listener" : "the listener rule") + " does not forward traffic; found "
                                + actions.stream().map(Action::typeAsString).toList()));
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (forward.forwardConfig() != null
                && !forward.forwardConfig().targetGroups().isEmpty()) {
            for (TargetGroupTuple group : forward.forwardConfig().targetGroups()) {
                weights.merge(group.targetGroupArn(), group.weight() == null ? 1 : group.weight(), Integer::sum);
            }
        } else if (forward.targetGroupArn() != null) {
            weights.put(forward.targetGroupArn(), 1);
        }
        return weights;
    }

    /** Replaces the forward action with exactly these target groups and weights. */
    public void forward(Map<String, Integer> weights) {
        Action forward = Action.builder()
                .type(ActionTypeEnum.FORWARD)
                .forwardConfig(ForwardActionConfig.builder()
                        .targetGroups(weights.entrySet().stream()
                                .map(entry -> TargetGroupTuple.builder()
                                        .targetGroupArn(entry.getKey())
                                        .weight(entry.getValue())
                                        .build())
                                .toList())
                        .build())
                .build();
        if (ruleArn == null) {
            call(
                    "ELBv2 ModifyListener",
                    () -> elb.modifyListener(
                            modify -> modify.listenerArn(listenerArn).defaultActions(forward)));
        } else {
            call(
                    "ELBv2 ModifyRule",
                    () -> elb.modifyRule(modify -> modify.ruleArn(ruleArn).actions(forward)));
        }
    }

    private List<Action> listenerActions() {
        return call(
                        "ELBv2 DescribeListeners",
                        () -> elb.describeListeners(describe -> describe.listenerArns(listenerArn)))
                .listeners()
                .stream()
                .findFirst()
                .orElseThrow(() -> new TargetStateConflictException("listener " + listenerArn + " not found"))
                .defaultActions();
    }

    private List<Action> ruleActions() {
        return call("ELBv2 DescribeRules", () -> elb.describeRules(describe -> describe.ruleArns(ruleArn)))
                .rules()
                .stream()
                .findFirst()
                .orElseThrow(() -> new TargetStateConflictException("listener rule " + ruleArn + " not found"))
                .actions();
    }
}
