package dev.tollgate.deployment;

import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import java.time.Clock;
import java.time.Instant;

/**
 * The approval gate's side: parks the state machine's task token on the deployment's record, where
 * {@code tollgate approve} or {@code abort} finds it, notes the wait on the timeline and tells it
 * (with the service, so a per-service rule on the bus hears it like every other fact).
 */
public final class ApprovalService {

    private final DeploymentStore store;
    private final Clock clock;
    private final DeploymentEvents events;

    public ApprovalService(DeploymentStore store, Clock clock, DeploymentEvents events) {
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Parks {@code taskToken} for the step after the one that passed. {@code service} may be null
     * (an execution started by an older state machine does not pass it): the record then names it.
     */
    public void park(String deploymentId, String service, int nextStepIndex, String taskToken, String reason) {
        store.awaitApproval(deploymentId, nextStepIndex, taskToken);
        Instant now = clock.instant();
        store.append(deploymentId, new TimelineEntry("approval-" + nextStepIndex, now, "AwaitApproval",
                "waiting for approval: " + reason, nextStepIndex, null, null));
        String deployed = service != null ? service : store.find(deploymentId).map(DeploymentRecord::service).orElse(null);
        events.publish(DeploymentEvent.awaitingApproval(deploymentId, deployed, now, nextStepIndex, reason));
    }
}
