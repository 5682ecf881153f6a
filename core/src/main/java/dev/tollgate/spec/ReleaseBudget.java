package dev.tollgate.spec;

import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.spec.ReleaseSpec.OnLockHeld;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The most a wave release can cost against the quotas of its parent execution (infra/statemachine/release.asl.json):
 * 25,000 history events and 256 KiB of state. Each target's own rollout is a child execution with its own history,
 * checked by {@link RolloutBudget} when its spec is validated; the parent records a bounded number of events per target,
 * because it waits on each child with {@code states:startExecution.waitForTaskToken}, which records the child's start
 * and its answer and nothing in between, however long the child runs. What grows besides is the lock wait
 * ({@code onLockHeld: WAIT}) and the rollback of each wave, both loops with a fixed number of checks. Pure arithmetic;
 * {@code docs/quotas.md}, "Wave releases", explains the figures.
 */
public final class ReleaseBudget {

    /** The release function's Task states: entered, exited, per attempt scheduled, started, ended; first try and 4 + 5 retries. */
    static final int FUNCTION_TASK_MAX_EVENTS = RolloutBudget.TaskState.VALIDATE_REQUEST.maxEvents();
    /** The same task tried once: what most checks of a loop cost; one check's retries are counted apart. */
    static final int FUNCTION_TASK_EVENTS = RolloutBudget.TaskState.VALIDATE_REQUEST.events(0);
    /** A child's start and wait (waitForTaskToken): entered, exited, per attempt scheduled, started, submitted, ended. */
    static final int CHILD_TASK_ATTEMPT_EVENTS = 4;
    /** Attempts of a child's start: the first and 5 retries of a Step Functions call that failed for a moment. */
    static final int CHILD_TASK_MAX_ATTEMPTS = 6;

    static final int CHILD_TASK_EVENTS = 2 + CHILD_TASK_ATTEMPT_EVENTS * CHILD_TASK_MAX_ATTEMPTS;
    /** A Map's iteration: started and succeeded (or failed, or aborted). */
    static final int MAP_ITERATION_EVENTS = 2;
    /** A Map state: entered, started, succeeded (or failed), exited. */
    static final int MAP_STATE_EVENTS = 4;
    /** One turn of a check loop: its Wait, its check tried once, its Choice. */
    static final int CHECK_LOOP_EVENTS =
            RolloutBudget.PLAIN_STATE_EVENTS + FUNCTION_TASK_EVENTS + RolloutBudget.PLAIN_STATE_EVENTS;
    /** A loop's checks retried to their limit, once in the loop. */
    static final int CHECK_RETRIES_EVENTS = FUNCTION_TASK_MAX_EVENTS - FUNCTION_TASK_EVENTS;
    /** How often the parent checks a wave being rolled back, and how many times before it calls it unconfirmed. */
    public static final int ROLLBACK_CHECK_SECONDS = 15;

    public static final int ROLLBACK_CHECKS = 60;

    /**
     * One target besides its lock checks: its iteration of the wave's Map, the lock check's Choice, the child's task,
     * and the Pass that notes its outcome.
     */
    static final int EVENTS_PER_TARGET = MAP_ITERATION_EVENTS
            + RolloutBudget.PLAIN_STATE_EVENTS
            + CHILD_TASK_EVENTS
            + RolloutBudget.PLAIN_STATE_EVENTS;
    /**
     * One wave besides its targets: its iteration of the waves, StartWave, the Map over its targets, EndWave, the Choice,
     * the bake (a Wait) or the Fail; and, at worst, its rollback: RollBackNextWave, its Choice, every check of the loop.
     */
    static final int EVENTS_PER_WAVE = MAP_ITERATION_EVENTS
            + FUNCTION_TASK_MAX_EVENTS
            + MAP_STATE_EVENTS
            + FUNCTION_TASK_MAX_EVENTS
            + 2 * RolloutBudget.PLAIN_STATE_EVENTS
            + FUNCTION_TASK_MAX_EVENTS
            + RolloutBudget.PLAIN_STATE_EVENTS
            + ROLLBACK_CHECKS * CHECK_LOOP_EVENTS
            + CHECK_RETRIES_EVENTS;
    /** A loop that waits for targets to end: every check of it, its Choice and Wait, one check's retries. */
    static final int END_LOOP_EVENTS = ROLLBACK_CHECKS * CHECK_LOOP_EVENTS + CHECK_RETRIES_EVENTS;
    /**
     * The execution's start, ValidateRelease, OpenRelease, the Map over the waves, CompleteRelease (which can still be
     * refused, the release halting); then the longer of the two ends: promoted (the wait for every target to end,
     * FinishPromoted, the Succeed) or halted (Halt, the last RollBackNextWave and its Choice, CloseKeptWindows, the wait
     * for the kept targets to end, FinishHalted, the Fail).
     */
    static final int FIXED_EVENTS = RolloutBudget.EXECUTION_STARTED_EVENTS
            + RolloutBudget.TaskState.VALIDATE_REQUEST.maxEvents()
            + FUNCTION_TASK_MAX_EVENTS
            + MAP_STATE_EVENTS
            + FUNCTION_TASK_MAX_EVENTS
            + Math.max(
                    END_LOOP_EVENTS + FUNCTION_TASK_MAX_EVENTS + RolloutBudget.SUCCEED_STATE_EVENTS,
                    FUNCTION_TASK_MAX_EVENTS
                            + FUNCTION_TASK_MAX_EVENTS
                            + RolloutBudget.PLAIN_STATE_EVENTS
                            + FUNCTION_TASK_MAX_EVENTS
                            + END_LOOP_EVENTS
                            + FUNCTION_TASK_MAX_EVENTS
                            + RolloutBudget.FAIL_STATE_EVENTS);
    /** What a target's outcome in the parent's state may take: its id, its status, its error and cause (the release function cuts a cause to 512 characters; a start's own failure is short). */
    static final int OUTCOME_BYTES_PER_TARGET = 5 * 1024;
    /** The release's own failure: a wave's or a function's error and cause, and its copy in the halt. */
    static final int FAILURE_BYTES = 2 * 16 * 1024;

    private ReleaseBudget() {}

    /** The lock checks a target may make: one, or {@link ReleaseSpec#LOCK_CHECKS} while it waits for the lock. */
    static int lockCheckEvents(OnLockHeld onLockHeld) {
        int checks = onLockHeld == OnLockHeld.WAIT ? ReleaseSpec.LOCK_CHECKS : 1;
        return checks * CHECK_LOOP_EVENTS + CHECK_RETRIES_EVENTS;
    }

    /** A release's worst case: its history events and its largest state, in bytes. */
    public record Estimate(
            long historyEvents, long largestStateBytes, int targets, long releaseBytes, int eventsPerTarget) {

        /** Each quota the worst case is over, as a validation problem with the figures and what is allowed. */
        public List<Violation> overQuota() {
            List<Violation> over = new ArrayList<>();
            if (historyEvents > RolloutBudget.HISTORY_EVENT_LIMIT) {
                over.add(new Violation(
                        "$.waves",
                        "the release's parent execution could record " + RolloutBudget.count(historyEvents)
                                + " history events for its " + targets + " targets, above the "
                                + RolloutBudget.count(RolloutBudget.HISTORY_EVENT_LIMIT)
                                + " Tollgate allows of the " + RolloutBudget.count(RolloutBudget.HISTORY_EVENT_QUOTA)
                                + " AWS allows an execution",
                        "fewer targets or waves (each target costs at most " + eventsPerTarget + " events, each wave "
                                + EVENTS_PER_WAVE
                                + "), or onLockHeld FAIL (a target waiting for its lock costs more)"));
            }
            if (largestStateBytes > RolloutBudget.PAYLOAD_QUOTA_BYTES) {
                over.add(new Violation(
                        "$",
                        "the release's state could reach " + RolloutBudget.count(largestStateBytes) + " bytes (the "
                                + "normalised release, every target's spec in it, " + RolloutBudget.count(releaseBytes)
                                + " bytes; each target's "
                                + "outcome " + RolloutBudget.count(OUTCOME_BYTES_PER_TARGET) + "; a failure "
                                + RolloutBudget.count(FAILURE_BYTES)
                                + "), above the " + RolloutBudget.count(RolloutBudget.PAYLOAD_QUOTA_BYTES)
                                + " (256 KiB) Step Functions allows a state",
                        "fewer targets, or a smaller shared spec (fewer or shorter dimensions, metrics, alarms or secrets); "
                                + "or split the release in two"));
            }
            return over;
        }
    }

    /** The worst case of a validated release. */
    public static Estimate of(ReleaseSpec release) {
        int targets = release.targets().size();
        int perTarget = EVENTS_PER_TARGET + lockCheckEvents(release.onLockHeld());
        long events = FIXED_EVENTS + (long) release.waves().size() * EVENTS_PER_WAVE + (long) targets * perTarget;
        long releaseBytes = Json.write(release).getBytes(StandardCharsets.UTF_8).length;
        long largestState = releaseBytes + (long) targets * OUTCOME_BYTES_PER_TARGET + FAILURE_BYTES;
        return new Estimate(events, largestState, targets, releaseBytes, perTarget);
    }
}
