package dev.tollgate.deployment;

/**
 * Where a deployment ended, or that it has not yet. {@code DRY_RUN}: the spec asked for a migration
 * dry run, so the deployment stopped after listing what would be applied; nothing was deployed.
 */
public enum DeploymentStatus {
    RUNNING,
    PROMOTED,
    ROLLED_BACK,
    FAILED,
    MANUAL_INTERVENTION_REQUIRED,
    DRY_RUN;

    public boolean finished() {
        return this != RUNNING;
    }
}
