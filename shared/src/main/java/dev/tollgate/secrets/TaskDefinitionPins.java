package dev.tollgate.secrets;

/**
 * Pins an ECS task definition's Secrets Manager references to the versions FetchSecrets checked,
 * so ECS injects exactly those versions into every task started from it, whatever a rotation does
 * meanwhile. Safe to repeat: the same task definition and pins give the same revision.
 */
public interface TaskDefinitionPins {

    /** Pins nothing: for specs without secrets, and for tests of what does not concern secrets. */
    TaskDefinitionPins NONE = (taskDefinition, secrets, deploymentId) -> PinnedTaskDefinition.unchanged(taskDefinition);

    /**
     * The task definition to run instead of {@code taskDefinition}: itself when none of its
     * containers' secrets names a pinned secret, otherwise a revision derived from it with those
     * references pinned (registered once, found again on a retry).
     */
    PinnedTaskDefinition pin(String taskDefinition, PinnedSecrets secrets, String deploymentId);
}
