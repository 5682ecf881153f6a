package dev.tollgate.deployment;

import dev.tollgate.errors.LockBreakRefusedException;
import dev.tollgate.errors.LockHeldException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Finds locks whose execution no longer runs (a crash, a lost release) and breaks them, but only
 * when an operator asks, names the holder they mean, and gives a reason; the break goes on the
 * holder's record. A lock is never broken silently, and never while its execution still runs
 * unless the operator forces it.
 */
public final class LockDoctor {

    private final DeploymentStore store;
    private final ExecutionStatuses executions;
    private final Clock clock;

    public LockDoctor(DeploymentStore store, ExecutionStatuses executions, Clock clock) {
        this.store = store;
        this.executions = executions;
        this.clock = clock;
    }

    /** A service's lock and whether the execution holding it still runs. */
    public record LockStatus(LockHolder holder, String executionStatus, boolean stale) {

        public String describe() {
            return holder.service() + " locked by " + holder.deploymentId() + " since " + holder.acquiredAt()
                    + " (execution " + executionStatus + (stale ? ": STALE, its execution no longer runs" : "") + ")";
        }
    }

    public Optional<LockStatus> inspect(String service) {
        return store.lockHolder(service).map(holder -> {
            String status = executions.status(holder.executionArn()).orElse("NOT_FOUND");
            return new LockStatus(holder, status, !"RUNNING".equals(status));
        });
    }

    /**
     * Breaks {@code service}'s lock if {@code deploymentId} still holds it. Refused while the holder's
     * execution runs, unless {@code force} (then that execution will fail to release it, harmlessly).
     */
    public LockStatus breakLock(String service, String deploymentId, String operator, String reason, boolean force) {
        if (reason == null || reason.isBlank()) {
            throw new LockBreakRefusedException("say why the lock of " + service + " is broken (--reason)");
        }
        LockStatus status =
                inspect(service).orElseThrow(() -> new LockBreakRefusedException(service + " is not locked"));
        if (!status.holder().deploymentId().equals(deploymentId)) {
            throw new LockHeldException("the lock of " + service + " is held by "
                    + status.holder().deploymentId() + ", not " + deploymentId + "; nothing was broken");
        }
        if (!status.stale() && !force) {
            throw new LockBreakRefusedException(
                    "the execution holding " + service + "'s lock is still RUNNING; abort the "
                            + "deployment instead, or force the break if that execution is stuck");
        }
        store.release(service, status.holder().deploymentId(), status.holder().executionArn());
        Instant now = clock.instant();
        store.append(
                deploymentId,
                new TimelineEntry(
                        "lock-broken-" + now.toEpochMilli(),
                        now,
                        "LockBroken",
                        "lock of " + service + " broken by " + operator + " (execution was " + status.executionStatus()
                                + "): " + reason,
                        null,
                        null,
                        null));
        return status;
    }
}
