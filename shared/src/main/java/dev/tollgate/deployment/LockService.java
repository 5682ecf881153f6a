package dev.tollgate.deployment;

import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import java.time.Clock;
import java.time.Instant;

/** Takes and releases a service's deployment lock, and notes both on the deployment's timeline. */
public final class LockService {

    private final DeploymentStore store;
    private final Clock clock;
    private final DeploymentEvents events;

    public LockService(DeploymentStore store, Clock clock) {
        this(store, clock, DeploymentEvents.NONE);
    }

    /** {@code events} hears that the deployment started once its lock is taken (again on a retry: same event id). */
    public LockService(DeploymentStore store, Clock clock, DeploymentEvents events) {
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    public LockHolder acquire(String service, String deploymentId, String executionArn) {
        Instant now = clock.instant();
        LockHolder holder = store.acquire(service, deploymentId, executionArn, now);
        store.append(
                deploymentId,
                new TimelineEntry("locked", now, "Lock", "took the deployment lock of " + service, null, null, null));
        events.publish(DeploymentEvent.started(deploymentId, service, executionArn, now));
        return holder;
    }

    public void release(String service, String deploymentId, String executionArn) {
        store.release(service, deploymentId, executionArn);
        store.append(
                deploymentId,
                new TimelineEntry(
                        "unlocked",
                        clock.instant(),
                        "Unlock",
                        "released the deployment lock of " + service,
                        null,
                        null,
                        null));
    }
}
