package dev.tollgate.rollout;

import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.decision.TickSchedule;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvent.RollbackReason;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.json.Nullable;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.TrafficControl;
import dev.tollgate.traffic.TrafficOutcome;
import dev.tollgate.traffic.TrafficWeights;
import java.time.Clock;
import java.time.Instant;

/**
 * Ends a deployment: promotion sends all traffic to the new version and, after the target's drain
 * time, retires the old one; rollback sends it all back to the old version and stops the canary; a
 * migration dry run ends with nothing deployed. The outcome and its reason go on the record once
 * the target shows the final split; until then (CodeDeploy finishing or rolling back on its own)
 * the outcome says to poll again.
 */
public final class FinalizeService {

    private final TrafficControl traffic;
    private final DeploymentStore store;
    private final Clock clock;
    private final int pollSeconds;
    private final DeploymentEvents events;

    public FinalizeService(TrafficControl traffic, DeploymentStore store, Clock clock, int pollSeconds) {
        this(traffic, store, clock, pollSeconds, DeploymentEvents.NONE);
    }

    /** {@code events} hears the outcome: promoted, rolled back (and why), failed, manual intervention required. */
    public FinalizeService(
            TrafficControl traffic, DeploymentStore store, Clock clock, int pollSeconds, DeploymentEvents events) {
        this.traffic = traffic;
        this.store = store;
        this.clock = clock;
        this.pollSeconds = pollSeconds;
        this.events = events;
    }

    /**
     * All traffic to the new version. Without a watch or a rollback window the deployment ends PROMOTED
     * here; with either it goes on running (the old version kept able to serve, the lock held) and ends at
     * {@link #closeRollbackWindow}, or rolled back by the watch or by {@code tollgate rollback}.
     */
    public Outcome promote(DeploymentSpec spec, String reason) {
        TrafficOutcome outcome = traffic.promote(spec);
        if (!outcome.settled()) {
            return unsettled(spec, outcome);
        }
        int window = spec.rollbackWindowSeconds();
        int watch = spec.watchSeconds();
        if (window == 0 && watch == 0) {
            return finish(
                    spec,
                    DeploymentStatus.PROMOTED,
                    reason,
                    outcome.weights(),
                    spec.target().drainSeconds(),
                    null);
        }
        String kept = watch == 0
                ? "the " + window + " s rollback window"
                : window == 0
                        ? "the " + watch + " s watch after the promotion"
                        : "the " + watch + " s watch after the promotion and the " + window
                                + " s rollback window after it";
        store.append(
                spec.deploymentId(),
                new TimelineEntry(
                        "promoted",
                        clock.instant(),
                        "Promote",
                        reason + " (" + outcome.weights() + "); the old version is kept able to serve for " + kept,
                        null,
                        outcome.weights().canaryPercent(),
                        null));
        Instant promotedAt = clock.instant();
        return new Outcome(
                spec.deploymentId(),
                DeploymentStatus.RUNNING,
                reason,
                outcome.weights().canaryPercent(),
                outcome.weights().baselinePercent(),
                true,
                spec.target().drainSeconds(),
                pollSeconds,
                window,
                watch,
                watch == 0
                        ? null
                        : new WatchStart(
                                promotedAt,
                                TickSchedule.firstTickAt(
                                        promotedAt, spec.analysis().periodSeconds())));
    }

    /**
     * The watch passed and the rollback window, if any, ended without a rollback: the deployment ends
     * PROMOTED (the reason is the promotion's, from the timeline), and the old version may be retired after
     * what is left of the drain time, which ran during the watch and the window.
     */
    public Outcome closeRollbackWindow(DeploymentSpec spec) {
        String promotion = store.find(spec.deploymentId())
                .flatMap(record -> record.timeline().stream()
                        .filter(entry -> "promoted".equals(entry.entryId()))
                        .map(TimelineEntry::message)
                        .findFirst())
                .orElse("promoted");
        String watched =
                spec.watchSeconds() > 0 ? "; the " + spec.watchSeconds() + " s watch after the promotion passed" : "";
        String window = spec.rollbackWindowSeconds() > 0 ? "; the rollback window closed with no rollback" : "";
        String reason = promotion + watched + window;
        int drainLeft = Math.max(0, spec.target().drainSeconds() - spec.watchSeconds() - spec.rollbackWindowSeconds());
        return finish(spec, DeploymentStatus.PROMOTED, reason, TrafficWeights.canaryAt(100), drainLeft, null);
    }

    /** After the drain: stops what the old version still runs (ECS: scales its service to 0). */
    public Retirement retireOldVersion(DeploymentSpec spec) {
        String detail = traffic.retireOldVersion(spec);
        store.append(
                spec.deploymentId(),
                new TimelineEntry("retired", clock.instant(), "RetireOldVersion", detail, null, 100, null));
        return new Retirement(spec.deploymentId(), detail);
    }

    /**
     * @param judged true when the judge or an operator decided the rollback (outcome ROLLED_BACK);
     *               false when a failure forced it (outcome FAILED).
     */
    public Outcome rollBack(DeploymentSpec spec, String reason, boolean judged) {
        TrafficOutcome outcome = traffic.rollback(spec);
        if (!outcome.settled()) {
            return unsettled(spec, outcome);
        }
        RollbackReason why = !judged
                ? RollbackReason.FAILURE
                : store.find(spec.deploymentId())
                                .map(DeploymentRecord::operatorRequest)
                                .filter(request -> request.kind() == OperatorRequest.Kind.ABORT)
                                .isPresent()
                        ? RollbackReason.OPERATOR
                        : RollbackReason.VERDICT;
        return finish(
                spec,
                judged ? DeploymentStatus.ROLLED_BACK : DeploymentStatus.FAILED,
                reason,
                outcome.weights(),
                0,
                why);
    }

    /**
     * Ends a migration dry run: outcome DRY_RUN, with what a real run would apply. Nothing was
     * deployed, so the target is not touched; a traffic record here would mean a canary was
     * deployed after all, which fails (the state machine's Catch then rolls it back).
     *
     * @param wouldApply the dry run's report: pending migrations and the compatibility guard's findings
     */
    public Outcome finishDryRun(DeploymentSpec spec, String wouldApply) {
        if (traffic.canaryDeployed(spec)) {
            throw new TargetStateConflictException("deployment " + spec.deploymentId()
                    + " is a migration dry run, but its traffic record " + "shows a deployed canary; rolling it back");
        }
        return finish(
                spec,
                DeploymentStatus.DRY_RUN,
                "dry run: nothing deployed, no traffic moved; " + wouldApply,
                TrafficWeights.canaryAt(0),
                0,
                null);
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
            found = traffic.watch(spec);
            seen = "target found at " + found;
        } catch (RuntimeException unreadable) {
            seen = "target state unreadable: " + unreadable.getMessage();
        }
        String reason =
                "rollback " + whatFailed + "; " + seen + "; the lock stays held until someone checks the target";
        Instant now = clock.instant();
        store.finish(spec.deploymentId(), DeploymentStatus.MANUAL_INTERVENTION_REQUIRED, reason, now);
        store.append(
                spec.deploymentId(),
                new TimelineEntry(
                        "manual-intervention",
                        now,
                        "ManualInterventionRequired",
                        reason,
                        null,
                        found == null ? null : found.canaryPercent(),
                        null));
        publishOutcome(
                spec,
                now,
                DeploymentStatus.MANUAL_INTERVENTION_REQUIRED,
                reason,
                RollbackReason.FAILURE,
                found == null ? -1 : found.canaryPercent());
        return new Outcome(
                spec.deploymentId(),
                DeploymentStatus.MANUAL_INTERVENTION_REQUIRED,
                reason,
                found == null ? -1 : found.canaryPercent(),
                found == null ? -1 : found.baselinePercent(),
                true,
                0,
                pollSeconds,
                0,
                0);
    }

    private Outcome finish(
            DeploymentSpec spec,
            DeploymentStatus status,
            String reason,
            TrafficWeights weights,
            int drainSeconds,
            RollbackReason why) {
        Instant now = clock.instant();
        store.finish(spec.deploymentId(), status, reason, now);
        store.append(
                spec.deploymentId(),
                new TimelineEntry(
                        "finished",
                        now,
                        status.name(),
                        reason + " (" + weights + ")",
                        null,
                        weights.canaryPercent(),
                        null));
        publishOutcome(spec, now, status, reason, why, weights.canaryPercent());
        return new Outcome(
                spec.deploymentId(),
                status,
                reason,
                weights.canaryPercent(),
                weights.baselinePercent(),
                true,
                drainSeconds,
                pollSeconds,
                0,
                0);
    }

    private void publishOutcome(
            DeploymentSpec spec,
            Instant now,
            DeploymentStatus status,
            String reason,
            RollbackReason why,
            int canaryPercent) {
        Instant startedAt =
                store.find(spec.deploymentId()).map(DeploymentRecord::startedAt).orElse(null);
        events.publish(DeploymentEvent.finished(
                spec.deploymentId(), spec.service(), now, status.name(), reason, why, canaryPercent, startedAt));
    }

    private Outcome unsettled(DeploymentSpec spec, TrafficOutcome outcome) {
        return new Outcome(
                spec.deploymentId(),
                DeploymentStatus.RUNNING,
                outcome.detail(),
                outcome.weights().canaryPercent(),
                outcome.weights().baselinePercent(),
                false,
                0,
                pollSeconds,
                0,
                0);
    }

    /**
     * How the deployment ended, as the execution's output reports it. While {@code settled} is
     * false the target is still moving on its own and the state machine polls again after
     * {@code pollSeconds}; after a promotion it watches the new version {@code watchSeconds} (0: no watch),
     * then keeps the rollback window open {@code rollbackWindowSeconds} (0: none), then waits {@code drainSeconds}
     * before retiring the old version.
     */
    public record Outcome(
            String deploymentId,
            DeploymentStatus status,
            String reason,
            int canaryPercent,
            int baselinePercent,
            boolean settled,
            int drainSeconds,
            int pollSeconds,
            int rollbackWindowSeconds,
            int watchSeconds,
            @Nullable WatchStart watchStart) {

        public Outcome(
                String deploymentId,
                DeploymentStatus status,
                String reason,
                int canaryPercent,
                int baselinePercent,
                boolean settled,
                int drainSeconds,
                int pollSeconds,
                int rollbackWindowSeconds,
                int watchSeconds) {
            this(
                    deploymentId,
                    status,
                    reason,
                    canaryPercent,
                    baselinePercent,
                    settled,
                    drainSeconds,
                    pollSeconds,
                    rollbackWindowSeconds,
                    watchSeconds,
                    null);
        }
    }

    /**
     * Where a post-promotion watch starts: when all traffic reached the new version, and its first tick, due once
     * the first whole period after that is published (TickSchedule), as a step's first tick is.
     */
    public record WatchStart(Instant promotedAt, Instant firstTickAt) {}

    /** What retiring the old version did. */
    public record Retirement(String deploymentId, String detail) {}
}
