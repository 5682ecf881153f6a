package dev.tollgate.spec;

/**
 * Two ECS services behind one ALB listener: blue serves the live version, green receives the
 * release, and the listener forwards to both target groups with weights.
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
        int healthTimeoutSeconds) implements Target {
}
