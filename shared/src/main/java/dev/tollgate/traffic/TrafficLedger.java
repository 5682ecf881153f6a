package dev.tollgate.traffic;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The traffic side of a deployment's record: its {@link TrafficRecord}, and the CodeDeploy lifecycle
 * hooks parked on it until Tollgate decides. Lives on the deployment's item in the deployments
 * table, next to what {@code DeploymentStore} keeps.
 */
public interface TrafficLedger {

    Optional<TrafficRecord> find(String deploymentId);

    /** Replaces the deployment's traffic record (the deployment's record must exist). */
    void save(String deploymentId, TrafficRecord record);

    /** Keeps a lifecycle hook execution for Tollgate to answer once it has decided; a repeat is harmless. */
    void parkLifecycleHook(String deploymentId, String hookExecutionId, Instant at);

    List<String> parkedLifecycleHooks(String deploymentId);

    void clearLifecycleHook(String deploymentId, String hookExecutionId);
}
