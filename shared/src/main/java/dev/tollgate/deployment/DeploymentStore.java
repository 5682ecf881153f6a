package dev.tollgate.deployment;

import dev.tollgate.decision.OperatorRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The deployments table: the per-service lock and the record of each deployment. Every write is
 * conditional or keyed so that a retried task changes nothing twice.
 */
public interface DeploymentStore {

    /**
     * Creates the deployment's record and takes its service's lock. Succeeds again for the same
     * execution (a retry); throws {@code LockHeldException} naming the holder otherwise.
     */
    LockHolder acquire(String service, String deploymentId, String executionArn, Instant now);

    /** Releases the lock if this execution holds it; a no-op when it is already released. */
    void release(String service, String deploymentId, String executionArn);

    Optional<LockHolder> lockHolder(String service);

    Optional<DeploymentRecord> find(String deploymentId);

    /** Appends to the timeline unless an entry with the same id is already there. */
    void append(String deploymentId, TimelineEntry entry);

    /** Records an operator's abort or promotion for {@code Decide} to act on at the next tick. */
    void requestOperatorAction(String deploymentId, OperatorRequest request);

    void awaitApproval(String deploymentId, int stepIndex, String taskToken);

    Optional<String> approvalToken(String deploymentId);

    void clearApproval(String deploymentId);

    /**
     * Parks the task token of the promotion's rollback window until {@code until}, where
     * {@code tollgate rollback} finds it; only while the deployment runs.
     */
    void openRollbackWindow(String deploymentId, Instant until, String taskToken);

    /** The parked token of an open rollback window; none once the deployment has finished. */
    Optional<String> rollbackToken(String deploymentId);

    /** Sets the final status and reason, once: a retry with the same status is a no-op. Drops any parked token. */
    void finish(String deploymentId, DeploymentStatus status, String reason, Instant at);

    /** Deployments newest first (running and finished), at most {@code limit}: what {@code tollgate list} shows. */
    List<DeploymentRecord> recent(int limit);

    /**
     * The newest deployment of {@code service} that kept a rollback window, however many deployments of other services
     * came after it: why no window is open when nobody holds the service's lock.
     */
    Optional<DeploymentRecord> latestWithRollbackWindow(String service);
}
