package dev.tollgate.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Two ECS services behind one ALB listener, each with its own target group. Neither is blue or
 * green for ever: the names only pair each service with its target group. Tollgate works out
 * which side is live (the one the listener sends all traffic to, cross-checked with the
 * {@code tollgate:live-since} tag it leaves on the side it promoted), deploys the release on the
 * other side, and after a promotion scales the old side down once {@code drainSeconds} have passed.
 */
public record EcsAlbTarget(
        String cluster,
        String blueService,
        String greenService,
        String listenerArn,
        String listenerRuleArn,
        String blueTargetGroupArn,
        String greenTargetGroupArn,
        String taskDefinition,
        int healthTimeoutSeconds,
        int drainSeconds)
        implements Target {

    /** Seconds the old side keeps its tasks after a promotion when the spec does not say: the ALB's default deregistration delay. */
    public static final int DEFAULT_DRAIN_SECONDS = 300;

    /** Reads a target, including one written before {@code drainSeconds} existed (it gets the default). */
    @JsonCreator
    static EcsAlbTarget fromJson(
            @JsonProperty("cluster") String cluster,
            @JsonProperty("blueService") String blueService,
            @JsonProperty("greenService") String greenService,
            @JsonProperty("listenerArn") String listenerArn,
            @JsonProperty("listenerRuleArn") String listenerRuleArn,
            @JsonProperty("blueTargetGroupArn") String blueTargetGroupArn,
            @JsonProperty("greenTargetGroupArn") String greenTargetGroupArn,
            @JsonProperty("taskDefinition") String taskDefinition,
            @JsonProperty("healthTimeoutSeconds") int healthTimeoutSeconds,
            @JsonProperty("drainSeconds") Integer drainSeconds) {
        return new EcsAlbTarget(
                cluster,
                blueService,
                greenService,
                listenerArn,
                listenerRuleArn,
                blueTargetGroupArn,
                greenTargetGroupArn,
                taskDefinition,
                healthTimeoutSeconds,
                drainSeconds == null ? DEFAULT_DRAIN_SECONDS : drainSeconds);
    }

    /** The target as specs without {@code drainSeconds} describe it. */
    public EcsAlbTarget(
            String cluster,
            String blueService,
            String greenService,
            String listenerArn,
            String listenerRuleArn,
            String blueTargetGroupArn,
            String greenTargetGroupArn,
            String taskDefinition,
            int healthTimeoutSeconds) {
        this(
                cluster,
                blueService,
                greenService,
                listenerArn,
                listenerRuleArn,
                blueTargetGroupArn,
                greenTargetGroupArn,
                taskDefinition,
                healthTimeoutSeconds,
                DEFAULT_DRAIN_SECONDS);
    }
}
