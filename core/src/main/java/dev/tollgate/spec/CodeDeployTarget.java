package dev.tollgate.spec;

import java.util.Map;

/**
 * A CodeDeploy deployment group (ECS blue/green or Lambda). CodeDeploy moves the traffic itself on
 * a schedule Tollgate derives from the spec's steps; Tollgate creates the deployment, judges each
 * traffic window, stops it with rollback on a failing verdict, and gates it through the
 * {@code AfterAllowTraffic} (and, for ECS, {@code AfterAllowTestTraffic}) lifecycle hooks. Exactly
 * one of {@code lambda} and {@code ecs} describes the revision; {@code hooks} holds the team's own
 * lifecycle hooks for the other events.
 */
public record CodeDeployTarget(
        String application,
        String deploymentGroup,
        LambdaRevision lambda,
        EcsRevision ecs,
        Map<String, String> hooks,
        int healthTimeoutSeconds)
        implements Target {

    public CodeDeployTarget {
        hooks = hooks == null ? Map.of() : Map.copyOf(hooks);
    }

    /** CodeDeploy's compute platform, as its APIs name it. */
    public String computePlatform() {
        return lambda != null ? "Lambda" : "ECS";
    }

    /** The Lambda revision: which alias CodeDeploy moves to which version (published by Tollgate when absent). */
    public record LambdaRevision(String functionName, String alias, String version) {}

    /** The ECS revision: the task definition of the replacement task set and the container the load balancer sends traffic to. */
    public record EcsRevision(String taskDefinition, String containerName, int containerPort, String platformVersion) {}
}
