package dev.tollgate.deployment;

/** Where a deployment ended, or that it has not yet. */
public enum DeploymentStatus {
    RUNNING, PROMOTED, ROLLED_BACK, FAILED, MANUAL_INTERVENTION_REQUIRED;

    public boolean finished() {
        return this != RUNNING;
    }
}
