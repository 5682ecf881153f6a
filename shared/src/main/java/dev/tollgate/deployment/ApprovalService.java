package dev.tollgate.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.json.Json;
import dev.tollgate.ops.ApprovalGates;
import dev.tollgate.release.ReleaseMembership;
import java.time.Clock;
import java.time.Instant;

/**
 * The approval gate's side: parks the state machine's task token on the deployment's record, where
 * {@code tollgate approve} or {@code abort} finds it, notes the wait on the timeline and tells it
 * (with the service, so a per-service rule on the bus hears it like every other fact). The
 * promotion's rollback window parks its token the same way, for {@code tollgate rollback}.
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
        store.append(
                deploymentId,
                new TimelineEntry(
                        "approval-" + nextStepIndex,
                        now,
                        "AwaitApproval",
                        "waiting for approval: " + reason,
                        nextStepIndex,
                        null,
                        null));
        String deployed = service != null
                ? service
                : store.find(deploymentId).map(DeploymentRecord::service).orElse(null);
        events.publish(DeploymentEvent.awaitingApproval(deploymentId, deployed, now, nextStepIndex, reason));
    }

    /**
     * Parks the token of the rollback window that the promotion opened: until {@code windowSeconds}
     * from now, {@code tollgate rollback SERVICE} answers it and the state machine rolls back at once.
     */
    public Instant openRollbackWindow(String deploymentId, String service, int windowSeconds, String taskToken) {
        Instant now = clock.instant();
        Instant until = now.plusSeconds(windowSeconds);
        store.openRollbackWindow(deploymentId, until, taskToken);
        store.append(
                deploymentId,
                new TimelineEntry(
                        "rollback-window",
                        now,
                        "RollbackWindow",
                        "rollback window open until " + until
                                + ": the old version stays able to serve; tollgate rollback " + service
                                + " sends all traffic back to it at once",
                        null,
                        100,
                        null));
        return until;
    }

    /**
     * Tells the release this deployment is a target of that it is promoted, its way back open: the release's task
     * waiting on it succeeds. A release that stopped waiting (aborted, or timed out) leaves the window to its operators.
     */
    public void tellReleasePromoted(
            ApprovalGates releaseTasks, String deploymentId, ReleaseMembership release, Instant until) {
        ObjectNode output = Json.MAPPER.createObjectNode();
        output.put("deploymentId", deploymentId);
        output.put("status", "PROMOTED");
        output.put("rollbackWindowUntil", until.toString());
        boolean told = releaseTasks.approve(release.taskToken(), Json.write(output));
        store.append(
                deploymentId,
                new TimelineEntry(
                        "release-told",
                        clock.instant(),
                        "ReleaseTold",
                        told
                                ? "told release " + release.releaseId() + " (wave " + release.wave()
                                        + ") this target is promoted"
                                : "release " + release.releaseId()
                                        + " no longer waits for this target; the rollback window is left to tollgate "
                                        + "rollback and promote",
                        null,
                        100,
                        null));
    }
}
