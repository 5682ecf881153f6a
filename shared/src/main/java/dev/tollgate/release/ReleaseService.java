package dev.tollgate.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.LockHolder;
import dev.tollgate.errors.DeploymentIdInUseException;
import dev.tollgate.errors.LockHeldException;
import dev.tollgate.errors.ReleaseHaltedException;
import dev.tollgate.errors.TollgateException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.json.Json;
import dev.tollgate.json.Nullable;
import dev.tollgate.ops.ApprovalGates;
import dev.tollgate.ops.DeploymentExecutions;
import dev.tollgate.ops.ExecutionState;
import dev.tollgate.ops.ExecutionView;
import dev.tollgate.ops.OpsService;
import dev.tollgate.release.ReleaseRecord.Status;
import dev.tollgate.release.ReleaseRecord.TargetState;
import dev.tollgate.release.ReleaseRecord.TargetStatus;
import dev.tollgate.release.ReleaseRecord.WaveState;
import dev.tollgate.release.ReleaseRecord.WaveStatus;
import dev.tollgate.spec.ReleaseBudget;
import dev.tollgate.spec.ReleaseSpec;
import dev.tollgate.spec.ReleaseSpec.OnFailure;
import dev.tollgate.spec.ReleaseSpec.OnLockHeld;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The release state machine's side of a release in waves: records each wave and target, tells the bus, decides
 * whether a target may start (its lock), which wave goes back next after a failure, and answers the parent's waiting
 * task for a child that ended. Traffic is never touched here: every target moves only through its own deployment's
 * execution, rolled back or closed through its rollback window as {@code tollgate rollback} and {@code promote} do.
 */
public final class ReleaseService {

    /** How many times the parent checks a wave being rolled back before it calls the rollback unconfirmed. */
    public static final int ROLLBACK_CHECKS = ReleaseBudget.ROLLBACK_CHECKS;
    /** The error a child's failure reaches the parent with when its execution ended without one (aborted, timed out). */
    public static final String CHILD_ENDED = "ChildExecutionEnded";

    private static final int MAX_REASON_CHARACTERS = 512;

    private final ReleaseStore releases;
    private final DeploymentStore deployments;
    private final OpsService ops;
    private final DeploymentExecutions executions;
    private final ApprovalGates gates;
    private final DeploymentEvents events;
    private final Clock clock;
    private final String homeRegion;

    public ReleaseService(
            ReleaseStore releases,
            DeploymentStore deployments,
            OpsService ops,
            DeploymentExecutions executions,
            ApprovalGates gates,
            DeploymentEvents events,
            Clock clock,
            String homeRegion) {
        this.releases = releases;
        this.deployments = deployments;
        this.ops = ops;
        this.executions = executions;
        this.gates = gates;
        this.events = events;
        this.clock = clock;
        this.homeRegion = homeRegion;
    }

    /** Records the release before its first wave; again for the same execution is a no-op, another execution's is refused. */
    public ReleaseRecord open(ReleaseSpec release, String executionArn) {
        ReleaseRecord record = ReleaseRecord.opened(release, executionArn, clock.instant(), homeRegion);
        if (releases.create(record)) {
            return record;
        }
        ReleaseRecord existing = releases.find(release.releaseId()).orElseThrow();
        if (!existing.executionArn().equals(executionArn)) {
            throw new DeploymentIdInUseException("release id " + release.releaseId() + " was already used by execution "
                    + existing.executionArn() + " (" + existing.status() + "); give this release a new releaseId");
        }
        return existing;
    }

    /** Marks the wave started and tells the bus; refused once the release is halting (aborted, or a target failed). */
    public void startWave(String releaseId, int wave) {
        ReleaseRecord record = releases.update(releaseId, current -> {
            requireRunning(current, "wave " + wave + " was not started");
            return current.withWave(
                    wave, state -> state.status() == WaveStatus.PENDING ? state.with(WaveStatus.RUNNING) : state);
        });
        publish(
                record,
                DeploymentEvent.Type.WAVE_STARTED,
                wave,
                "RUNNING",
                "wave " + wave + " of " + record.waves().size() + " started: "
                        + record.wave(wave).targets().size() + " targets",
                record.wave(wave).targets());
    }

    /** Whether a target may start now: its service's lock free where it runs (or its own), the release still running. */
    public record LockCheck(boolean free, int checks) {}

    public LockCheck checkLock(String releaseId, String deploymentId, String serviceLock) {
        ReleaseRecord record = releases.find(releaseId).orElseThrow(() -> noRelease(releaseId));
        requireRunning(record, deploymentId + " was not started");
        Optional<LockHolder> holder = deployments.lockHolder(serviceLock);
        if (holder.isEmpty() || holder.get().deploymentId().equals(deploymentId)) {
            releases.update(
                    releaseId,
                    current -> current.withTarget(deploymentId, target -> target.with(TargetStatus.RUNNING, null)));
            return new LockCheck(true, target(record, deploymentId).lockChecks());
        }
        String held = "the lock of " + serviceLock + " is held by deployment "
                + holder.get().deploymentId() + " (since " + holder.get().acquiredAt() + ")";
        int checks = target(record, deploymentId).lockChecks() + 1;
        if (record.onLockHeld() == OnLockHeld.FAIL || checks >= ReleaseSpec.LOCK_CHECKS) {
            String reason = held
                    + (record.onLockHeld() == OnLockHeld.FAIL
                            ? "; onLockHeld is FAIL"
                            : " after " + checks + " checks " + ReleaseSpec.LOCK_CHECK_SECONDS + " s apart")
                    + ": not deployed";
            releases.update(
                    releaseId,
                    current ->
                            current.withTarget(deploymentId, target -> target.with(TargetStatus.NOT_PROMOTED, reason)));
            throw new LockHeldException(reason);
        }
        releases.update(releaseId, current -> current.withTarget(deploymentId, TargetState::checkedLock));
        return new LockCheck(false, checks);
    }

    /** A target's end in the wave, as the parent's Map reports it. */
    public record TargetOutcome(
            String deploymentId,
            String status,
            @Nullable String error,
            @Nullable String cause) {
        boolean promoted() {
            return "PROMOTED".equals(status);
        }
    }

    /** Whether the whole wave is promoted; if not, why (the first target that was not). */
    public record WaveEnd(boolean promoted, @Nullable String reason) {}

    public WaveEnd endWave(String releaseId, int wave, List<TargetOutcome> outcomes) {
        ReleaseRecord record = releases.update(releaseId, current -> {
            ReleaseRecord changed = current;
            for (TargetOutcome outcome : outcomes) {
                changed = changed.withTarget(
                        outcome.deploymentId(),
                        target -> target.status() == TargetStatus.NOT_PROMOTED && !outcome.promoted()
                                ? target
                                : target.with(
                                        outcome.promoted() ? TargetStatus.PROMOTED : TargetStatus.NOT_PROMOTED,
                                        outcome.promoted() ? null : why(outcome)));
            }
            boolean promoted = outcomes.stream().allMatch(TargetOutcome::promoted);
            return changed.withWave(wave, state -> state.with(promoted ? WaveStatus.PROMOTED : WaveStatus.FAILED));
        });
        WaveState state = record.wave(wave);
        if (state.status() == WaveStatus.PROMOTED) {
            publish(
                    record,
                    DeploymentEvent.Type.WAVE_PROMOTED,
                    wave,
                    "PROMOTED",
                    "wave " + wave + " of " + record.waves().size()
                            + " promoted: every target at 100 %, each keeping its way back until the release ends",
                    state.targets());
            return new WaveEnd(true, null);
        }
        TargetState first = state.targets().stream()
                .filter(target -> target.status() != TargetStatus.PROMOTED)
                .findFirst()
                .orElseThrow();
        return new WaveEnd(
                false,
                cut("wave " + wave + ": " + first.deploymentId() + " (" + first.service() + " in " + first.region()
                        + ") was not promoted: " + first.reason()));
    }

    /** Halts the release: nothing more starts, running targets are aborted, the bus hears why. Answers the policy. */
    public OnFailure halt(String releaseId, @Nullable String error, @Nullable String cause) {
        String reason = cut(cause == null || cause.isBlank() ? (error == null ? "the release failed" : error) : cause);
        ReleaseRecord record = releases.update(
                releaseId,
                current -> current.status() == Status.RUNNING ? current.with(Status.HALTING, reason, null) : current);
        abortRunningTargets(record, "release " + releaseId + " halted: " + record.reason());
        List<TargetState> promoted = record.targets().stream()
                .filter(target -> target.status() == TargetStatus.PROMOTED)
                .toList();
        publish(
                record,
                DeploymentEvent.Type.RELEASE_HALTED,
                null,
                "HALTING",
                record.reason() + "; onFailure " + record.onFailure()
                        + (record.onFailure() == OnFailure.ROLLBACK_ALL
                                ? ": every promoted target goes back, the latest wave first"
                                : ": the failed wave goes back, earlier waves keep the release"),
                promoted);
        return record.onFailure();
    }

    /** The wave being sent back, or none left ({@code done}). */
    public record RollbackStep(boolean done, @Nullable Integer wave) {}

    /**
     * Sends the latest wave that still has promoted targets back through their rollback windows; under {@code STOP} only
     * the failed wave's. Each target rolls back in its own execution, at once and without analysis.
     */
    public RollbackStep rollBackNextWave(String releaseId) {
        ReleaseRecord record = releases.find(releaseId).orElseThrow(() -> noRelease(releaseId));
        Optional<WaveState> next = record.waves().stream()
                .filter(wave -> record.onFailure() == OnFailure.ROLLBACK_ALL || wave.status() == WaveStatus.FAILED)
                .filter(wave -> wave.targets().stream().anyMatch(target -> target.status() == TargetStatus.PROMOTED))
                .max(Comparator.comparingInt(WaveState::wave));
        if (next.isEmpty()) {
            return new RollbackStep(true, null);
        }
        int wave = next.get().wave();
        String who = "release " + releaseId;
        for (TargetState target : next.get().targets()) {
            if (target.status() != TargetStatus.PROMOTED) {
                continue;
            }
            TargetStatus status;
            String reason;
            try {
                ops.abort(target.deploymentId(), who, "the release halted: " + record.reason());
                status = TargetStatus.ROLLING_BACK;
                reason = "sent back by the release: " + record.reason();
            } catch (TollgateException refused) {
                status = TargetStatus.ROLLBACK_UNCONFIRMED;
                reason = "could not be sent back: " + refused.getMessage();
            }
            TargetStatus newStatus = status;
            String why = cut(reason);
            releases.update(
                    releaseId,
                    current -> current.withTarget(target.deploymentId(), state -> state.with(newStatus, why)));
        }
        releases.update(releaseId, current -> current.withWave(wave, state -> state.with(WaveStatus.ROLLING_BACK)));
        return new RollbackStep(false, wave);
    }

    /** Whether every target of the wave being sent back has ended; after {@link #ROLLBACK_CHECKS} checks, it stops waiting. */
    public record RollbackCheck(boolean settled, int wave) {}

    public RollbackCheck checkRollback(String releaseId, int wave) {
        ReleaseRecord record = releases.find(releaseId).orElseThrow(() -> noRelease(releaseId));
        WaveState state = record.wave(wave);
        boolean lastCheck = state.rollbackChecks() + 1 >= ROLLBACK_CHECKS;
        boolean settled = true;
        List<TargetState> updated = new ArrayList<>();
        for (TargetState target : state.targets()) {
            if (target.status() != TargetStatus.ROLLING_BACK) {
                updated.add(target);
                continue;
            }
            Optional<ExecutionView> execution = ended(target);
            if (execution.isPresent()) {
                boolean rolledBack =
                        OpsService.ROLLED_BACK.equals(execution.get().error());
                updated.add(target.with(
                        rolledBack ? TargetStatus.ROLLED_BACK : TargetStatus.ROLLBACK_UNCONFIRMED,
                        rolledBack
                                ? null
                                : cut("its execution ended " + execution.get().state() + " "
                                        + execution.get().error() + ": "
                                        + execution.get().cause() + "; see tollgate status " + target.deploymentId())));
            } else if (lastCheck) {
                updated.add(target.with(
                        TargetStatus.ROLLBACK_UNCONFIRMED,
                        "still rolling back after " + ROLLBACK_CHECKS * ReleaseBudget.ROLLBACK_CHECK_SECONDS
                                + " s; see tollgate status " + target.deploymentId()));
            } else {
                updated.add(target);
                settled = false;
            }
        }
        boolean done = settled;
        releases.update(
                releaseId,
                current -> current.withWave(wave, old -> {
                    WaveState replaced = new WaveState(old.wave(), old.status(), updated, old.rollbackChecks() + 1);
                    return done ? replaced.with(WaveStatus.ROLLED_BACK) : replaced;
                }));
        return new RollbackCheck(done, wave);
    }

    /**
     * After a halt: the targets still promoted (earlier waves under {@code STOP}) keep the release, their windows closed
     * now. Answers how many are closing.
     */
    public int closeKeptWindows(String releaseId) {
        ReleaseRecord record = releases.find(releaseId).orElseThrow(() -> noRelease(releaseId));
        return closeWindows(record, "the release halted; onFailure STOP keeps this earlier wave");
    }

    /** The release's end after a halt, once its targets have ended: recorded HALTED, told to the bus. */
    public ReleaseRecord finishHalted(String releaseId) {
        ReleaseRecord ended = releases.update(releaseId, current -> current.with(Status.HALTED, null, clock.instant()));
        publish(ended, DeploymentEvent.Type.RELEASE_HALTED, null, "HALTED", ended.reason(), ended.targets());
        return ended;
    }

    /** Every wave promoted: every window closes now, each target retiring its old version; the release ends when they have. */
    public int complete(String releaseId) {
        ReleaseRecord record = releases.find(releaseId).orElseThrow(() -> noRelease(releaseId));
        requireRunning(record, "the release was not promoted");
        return closeWindows(record, "the release is promoted");
    }

    /** Whether every target whose window the release closed has ended; after {@link #ROLLBACK_CHECKS} checks, it stops waiting. */
    public record EndCheck(boolean settled) {}

    public EndCheck checkTargetsEnded(String releaseId) {
        ReleaseRecord record = releases.find(releaseId).orElseThrow(() -> noRelease(releaseId));
        boolean lastCheck = record.endChecks() + 1 >= ROLLBACK_CHECKS;
        boolean settled = true;
        Map<String, String> keptBecause = new HashMap<>();
        for (TargetState target : record.targets()) {
            if (target.status() != TargetStatus.CLOSING) {
                continue;
            }
            Optional<ExecutionView> execution = ended(target);
            if (execution.isPresent()) {
                keptBecause.put(
                        target.deploymentId(),
                        execution.get().state() == ExecutionState.SUCCEEDED
                                ? null
                                : cut("its window closed, its execution ended "
                                        + execution.get().state() + " "
                                        + execution.get().error() + ": "
                                        + execution.get().cause() + "; see tollgate status " + target.deploymentId()));
            } else if (lastCheck) {
                keptBecause.put(
                        target.deploymentId(),
                        "its window closed; still retiring the old version after "
                                + ROLLBACK_CHECKS * ReleaseBudget.ROLLBACK_CHECK_SECONDS + " s: see tollgate status "
                                + target.deploymentId());
            } else {
                settled = false;
            }
        }
        // One write for the whole check: the record only notes what the executions say, so nothing is lost if it is
        // retried.
        releases.update(releaseId, current -> {
            ReleaseRecord changed = current.checkedEnd();
            for (Map.Entry<String, String> kept : keptBecause.entrySet()) {
                changed = changed.withTarget(kept.getKey(), state -> state.with(TargetStatus.KEPT, kept.getValue()));
            }
            return changed;
        });
        return new EndCheck(settled);
    }

    /** The release promoted: every target ended at the new version; recorded and told to the bus. */
    public ReleaseRecord finishPromoted(String releaseId) {
        ReleaseRecord ended = releases.update(
                releaseId, current -> current.with(Status.PROMOTED, "every wave promoted", clock.instant()));
        publish(
                ended,
                DeploymentEvent.Type.RELEASE_PROMOTED,
                null,
                "PROMOTED",
                "every wave promoted: " + ended.targets().size() + " targets at the new version",
                ended.targets());
        return ended;
    }

    /**
     * {@code tollgate abort RELEASE-ID}: nothing more starts, every running target rolls back (at once at a gate or in
     * a window, otherwise at its next tick), and the parent halts per the policy when the wave ends.
     */
    public ReleaseRecord abort(String releaseId, String who, String reason) {
        ReleaseRecord record = releases.update(releaseId, current -> {
            if (current.status().finished()) {
                throw new ReleaseHaltedException(
                        "release " + releaseId + " has ended " + current.status() + ": nothing to abort");
            }
            String why = "aborted by " + who + (reason == null || reason.isBlank() ? "" : ": " + reason);
            return current.abortedBy(who, why).with(Status.HALTING, null, null);
        });
        abortRunningTargets(record, record.reason());
        return releases.find(releaseId).orElse(record);
    }

    /**
     * A child execution ended (Step Functions' status event): answers the parent's task that waits on it, as the child's
     * rollback window would have on a promotion. A failure halts the release at once and aborts the failed target's
     * running siblings, so one target's failure stops the release everywhere. Answers false when the event is not a
     * release target's or its task was answered already (the window opened, or the release closed it).
     */
    public boolean childEnded(String status, @Nullable String input, @Nullable String error, @Nullable String cause) {
        JsonNode request = input == null ? null : Json.tree(input);
        if (request == null
                || !request.path("release").isObject()
                || !request.path("release").hasNonNull("taskToken")) {
            return false;
        }
        ReleaseMembership membership = ReleaseMembership.of(request);
        String deploymentId = request.path("spec").path("deploymentId").asText("?");
        Optional<TargetState> known = releases.find(membership.releaseId())
                .flatMap(record -> record.targets().stream()
                        .filter(target -> target.deploymentId().equals(deploymentId))
                        .findFirst());
        if (known.isPresent()
                && known.get().status() != TargetStatus.RUNNING
                && known.get().status() != TargetStatus.PENDING) {
            // Promoted before (its window answered the release), or ended already: the release's own states follow it
            // now.
            return false;
        }
        if ("SUCCEEDED".equals(status)) {
            ObjectNode output = Json.MAPPER.createObjectNode();
            output.put("deploymentId", deploymentId);
            output.put("status", "PROMOTED");
            return gates.approve(membership.taskToken(), Json.write(output));
        }
        String failure = error == null || error.isBlank() ? CHILD_ENDED : error;
        String why = cut(cause == null || cause.isBlank() ? "the target's execution ended " + status : cause);
        boolean answered = gates.reject(membership.taskToken(), failure, why);
        if (answered) {
            boolean withoutItsRollback = !"FAILED".equals(status) || failure.startsWith("States.");
            String lock = known.map(TargetState::serviceLock).orElse("SERVICE");
            String named = deploymentId
                    + known.map(state -> " (" + state.service() + " in " + state.region() + ")")
                            .orElse("");
            // Aborted, timed out or broken, the execution never reached its own rollback: traffic may be split, the
            // lock held.
            String reason = cut(
                    (withoutItsRollback
                            ? named + " ended " + status + " without its own rollback: check its traffic "
                                    + "with tollgate status " + deploymentId + " and its lock with tollgate lock "
                                    + lock + " (" + failure + ": " + why + ")"
                            : named + " ended " + status + " (" + failure + "): " + why));
            ReleaseRecord record = releases.update(membership.releaseId(), current -> {
                ReleaseRecord changed =
                        current.withTarget(deploymentId, target -> target.with(TargetStatus.NOT_PROMOTED, reason));
                return changed.status() == Status.RUNNING ? changed.with(Status.HALTING, reason, null) : changed;
            });
            abortRunningTargets(record, "a sibling failed: " + reason);
        }
        return answered;
    }

    /** The target's execution once it has ended; empty while it runs. */
    private Optional<ExecutionView> ended(TargetState target) {
        return executions
                .describe(executions.executionArn(target.deploymentId()))
                .filter(execution -> !execution.state().running());
    }

    private void abortRunningTargets(ReleaseRecord record, String reason) {
        for (TargetState target : record.targets()) {
            if (target.status() != TargetStatus.RUNNING) {
                continue;
            }
            try {
                ops.abort(target.deploymentId(), "release " + record.releaseId(), cut(reason));
            } catch (TollgateException notRunning) {
                // Not started yet (its lock check will refuse it) or ended already (the parent has its outcome).
            }
        }
    }

    /** Closes the window of every promoted target: each is CLOSING until its execution ends. Answers how many. */
    private int closeWindows(ReleaseRecord record, String reason) {
        int closing = 0;
        for (TargetState target : record.targets()) {
            if (target.status() != TargetStatus.PROMOTED) {
                continue;
            }
            TargetStatus status;
            String why;
            try {
                ops.promote(target.deploymentId(), "release " + record.releaseId(), reason);
                status = TargetStatus.CLOSING;
                why = null;
                closing++;
            } catch (TollgateException closed) {
                status = TargetStatus.KEPT;
                why = cut("its window had closed already: " + closed.getMessage());
            }
            TargetStatus newStatus = status;
            String because = why;
            releases.update(
                    record.releaseId(),
                    current -> current.withTarget(target.deploymentId(), state -> state.with(newStatus, because)));
        }
        return closing;
    }

    private void publish(
            ReleaseRecord record,
            DeploymentEvent.Type type,
            @Nullable Integer wave,
            String status,
            String reason,
            List<TargetState> targets) {
        String service =
                record.targets().stream().map(TargetState::service).findFirst().orElse(null);
        DeploymentEvent.ReleaseFact fact = new DeploymentEvent.ReleaseFact(
                record.releaseId(),
                wave,
                record.waves().size(),
                record.onFailure().name(),
                targets.stream()
                        .map(target -> new DeploymentEvent.TargetFact(
                                target.deploymentId(),
                                target.region(),
                                target.status().name(),
                                target.reason()))
                        .toList());
        events.publish(DeploymentEvent.release(
                type, service, record.executionArn(), clock.instant(), status, reason, fact, record.startedAt()));
    }

    private static void requireRunning(ReleaseRecord record, String consequence) {
        if (record.status() != Status.RUNNING) {
            throw new ReleaseHaltedException("release " + record.releaseId() + " is " + record.status()
                    + (record.reason() == null ? "" : " (" + record.reason() + ")") + ": " + consequence);
        }
    }

    private static TargetState target(ReleaseRecord record, String deploymentId) {
        return record.targets().stream()
                .filter(target -> target.deploymentId().equals(deploymentId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "release " + record.releaseId() + " has no target " + deploymentId));
    }

    private static String why(TargetOutcome outcome) {
        String cause = outcome.cause();
        if (cause != null && cause.startsWith("{")) {
            // A startExecution task's failure cause is the child's description; its own cause is the reason.
            JsonNode described = Json.tree(cause);
            cause = described.path("Cause").asText(described.path("cause").asText(cause));
        }
        return cut((outcome.error() == null ? "" : outcome.error() + ": ") + (cause == null ? "" : cause));
    }

    private static IllegalStateException noRelease(String releaseId) {
        return new IllegalStateException("no release " + releaseId + " recorded");
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_REASON_CHARACTERS
                ? text
                : text.substring(0, MAX_REASON_CHARACTERS - 1) + "…";
    }
}
