package dev.tollgate.deployment;

import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvent.RollbackReason;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.TrafficRouterFactory;
import dev.tollgate.traffic.TrafficWeights;
import java.time.Clock;
import java.time.Instant;

/**
 * Ends a deployment: promotion sends all traffic to the new version; rollback sends it all back to
 * the old one and stops the canary. Either way the outcome and its reason go on the record.
 */
public final class FinalizeService {

    private final TrafficRouterFactory routers;
    private final DeploymentStore store;
    private final Clock clock;
    private final DeploymentEvents events;

    public FinalizeService(TrafficRouterFactory routers, DeploymentStore store, Clock clock) {
        this(routers, store, clock, DeploymentEvents.NONE);
    }

    /** {@code events} hears the outcome: promoted, rolled back (and why), failed. */
    public FinalizeService(TrafficRouterFactory routers, DeploymentStore store, Clock clock, DeploymentEvents events) {
        this.routers = routers;
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    public Outcome promote(DeploymentSpec spec, String reason) {
        TrafficWeights weights = routers.forTarget(spec.target()).promote();
        return finish(spec, DeploymentStatus.PROMOTED, reason, weights, null);
    }

    /**
     * @param judged true when the judge or an operator decided the rollback (outcome ROLLED_BACK);
     *               false when a failure forced it (outcome FAILED).
     */
    public Outcome rollBack(DeploymentSpec spec, String reason, boolean judged) {
        TrafficWeights weights = routers.forTarget(spec.target()).rollback();
        RollbackReason why = !judged ? RollbackReason.FAILURE
                : store.find(spec.deploymentId()).map(DeploymentRecord::operatorRequest)
                        .filter(request -> request.kind() == OperatorRequest.Kind.ABORT).isPresent()
                        ? RollbackReason.OPERATOR : RollbackReason.VERDICT;
        return finish(spec, judged ? DeploymentStatus.ROLLED_BACK : DeploymentStatus.FAILED, reason, weights, why);
    }

    /**
     * The rollback itself failed after its retries. Reads what the target looks like now (if it can),
     * records MANUAL_INTERVENTION_REQUIRED with that, and leaves the lock held so no other release
     * starts on a target in an unknown state.
     */
    public Outcome requireManualIntervention(DeploymentSpec spec, String whatFailed) {
        TrafficWeights found = null;
        String seen;
        try {
            found = routers.forTarget(spec.target()).currentWeights();
            seen = "target found at " + found;
        } catch (RuntimeException unreadable) {
            seen = "target state unreadable: " + unreadable.getMessage();
        }
        String reason = "rollback " + whatFailed + "; " + seen + "; the lock stays held until someone checks the target";
        Instant now = clock.instant();
        store.finish(spec.deploymentId(), DeploymentStatus.MANUAL_INTERVENTION_REQUIRED, reason, now);
        store.append(spec.deploymentId(), new TimelineEntry("manual-intervention", now, "ManualInterventionRequired", reason,
                null, found == null ? null : found.canaryPercent(), null));
        publishOutcome(spec, now, DeploymentStatus.MANUAL_INTERVENTION_REQUIRED, reason, RollbackReason.FAILURE,
                found == null ? -1 : found.canaryPercent());
        return new Outcome(spec.deploymentId(), DeploymentStatus.MANUAL_INTERVENTION_REQUIRED, reason,
                found == null ? -1 : found.canaryPercent(), found == null ? -1 : found.baselinePercent());
    }

    private Outcome finish(DeploymentSpec spec, DeploymentStatus status, String reason, TrafficWeights weights, RollbackReason why) {
        Instant now = clock.instant();
        store.finish(spec.deploymentId(), status, reason, now);
        store.append(spec.deploymentId(), new TimelineEntry("finished", now, status.name(), reason + " (" + weights + ")",
                null, weights.canaryPercent(), null));
        publishOutcome(spec, now, status, reason, why, weights.canaryPercent());
        return new Outcome(spec.deploymentId(), status, reason, weights.canaryPercent(), weights.baselinePercent());
    }

    private void publishOutcome(DeploymentSpec spec, Instant now, DeploymentStatus status, String reason, RollbackReason why,
                                int canaryPercent) {
        Instant startedAt = store.find(spec.deploymentId()).map(DeploymentRecord::startedAt).orElse(null);
        events.publish(DeploymentEvent.finished(spec.deploymentId(), spec.service(), now, status.name(), reason, why,
                canaryPercent, startedAt));
    }

    /** How the deployment ended, as the execution's output reports it. */
    public record Outcome(String deploymentId, DeploymentStatus status, String reason, int canaryPercent, int baselinePercent) {
    }
}
