package dev.tollgate.spec;

import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The most a wave release can cost against the quotas of its parent execution: 25,000 history events
 * and 256 KiB of state. Each target's own rollout is a child execution with its own history, checked by
 * {@link RolloutBudget} when its spec is validated; the parent records only a fixed handful of events per
 * target, because it waits on each child with {@code states:startExecution.sync:2}, which records the
 * child's start and end and nothing in between. What grows is the state: it carries every target's spec
 * and every target's outcome. Pure arithmetic; {@code docs/quotas.md}, "Wave releases", explains the figures.
 */
public final class ReleaseBudget {

    /** An integration task that waits for a child (.sync): entered, exited, and per attempt scheduled, started, submitted, ended. */
    static final int CHILD_TASK_ATTEMPT_EVENTS = 4;
    /** Attempts of a child task: the first and 5 retries of a Step Functions call that failed for a moment (throttling, 5xx). */
    static final int CHILD_TASK_MAX_ATTEMPTS = 6;
    /** A Map's iteration: started and succeeded (or failed, or aborted). */
    static final int MAP_ITERATION_EVENTS = 2;
    /** A Map state: entered, started, succeeded (or failed), exited. */
    static final int MAP_STATE_EVENTS = 4;
    /**
     * One target, deployed and, at worst, rolled back: each time its iteration of the wave's Map and a child
     * task at its last attempt; and the Pass that notes its outcome.
     */
    static final int EVENTS_PER_TARGET = 2 * (MAP_ITERATION_EVENTS + 2 + CHILD_TASK_ATTEMPT_EVENTS * CHILD_TASK_MAX_ATTEMPTS)
            + RolloutBudget.PLAIN_STATE_EVENTS;
    /**
     * One wave besides its targets: its iteration of the waves, the Map over its targets (the rollout and, at
     * worst, the rollback), the check of its outcomes (a Pass and a Choice) and the bake after it (a Wait).
     */
    static final int EVENTS_PER_WAVE = MAP_ITERATION_EVENTS + 2 * MAP_STATE_EVENTS + 3 * RolloutBudget.PLAIN_STATE_EVENTS;
    /**
     * The execution's start, its validation at its last attempt, the Map over the waves (the rollout and, at
     * worst, the rollback), the policy's Choice and the end.
     */
    static final int FIXED_EVENTS = RolloutBudget.EXECUTION_STARTED_EVENTS + RolloutBudget.TaskState.VALIDATE_REQUEST.maxEvents()
            + 2 * MAP_STATE_EVENTS + RolloutBudget.PLAIN_STATE_EVENTS + RolloutBudget.SUCCEED_STATE_EVENTS;
    /** What a target's outcome in the parent's state may take: the child's ARN, its status, and its error and cause cut at 4 KiB. */
    static final int OUTCOME_BYTES_PER_TARGET = 5 * 1024;
    /** The release's own failure: a child's error and cause as the Map reports it, and its copy in the outcome. */
    static final int FAILURE_BYTES = 2 * 16 * 1024;

    private ReleaseBudget() {
    }

    /** A release's worst case: its history events and its largest state, in bytes. */
    public record Estimate(long historyEvents, long largestStateBytes, int targets, long releaseBytes) {

        /** Each quota the worst case is over, as a validation problem with the figures and what is allowed. */
        public List<Violation> overQuota() {
            List<Violation> over = new ArrayList<>();
            if (historyEvents > RolloutBudget.HISTORY_EVENT_LIMIT) {
                over.add(new Violation("$.waves", "the release's parent execution could record " + RolloutBudget.count(historyEvents)
                        + " history events for its " + targets + " targets, above the " + RolloutBudget.count(RolloutBudget.HISTORY_EVENT_LIMIT)
                        + " Tollgate allows of the " + RolloutBudget.count(RolloutBudget.HISTORY_EVENT_QUOTA) + " AWS allows an execution",
                        "fewer targets or waves (each target costs at most " + EVENTS_PER_TARGET + " events, each wave "
                                + EVENTS_PER_WAVE + ")"));
            }
            if (largestStateBytes > RolloutBudget.PAYLOAD_QUOTA_BYTES) {
                over.add(new Violation("$", "the release's state could reach " + RolloutBudget.count(largestStateBytes) + " bytes (the "
                        + "normalised release, every target's spec in it, " + RolloutBudget.count(releaseBytes) + " bytes; each target's "
                        + "outcome " + RolloutBudget.count(OUTCOME_BYTES_PER_TARGET) + "; a failure " + RolloutBudget.count(FAILURE_BYTES)
                        + "), above the " + RolloutBudget.count(RolloutBudget.PAYLOAD_QUOTA_BYTES) + " (256 KiB) Step Functions allows a state",
                        "fewer targets, or a smaller shared spec (fewer or shorter dimensions, metrics, alarms or secrets); "
                                + "or split the release in two"));
            }
            return over;
        }
    }

    /** The worst case of a validated release. */
    public static Estimate of(ReleaseSpec release) {
        int targets = release.targets().size();
        long events = FIXED_EVENTS + (long) release.waves().size() * EVENTS_PER_WAVE + (long) targets * EVENTS_PER_TARGET;
        long releaseBytes = Json.write(release).getBytes(StandardCharsets.UTF_8).length;
        long largestState = releaseBytes + (long) targets * OUTCOME_BYTES_PER_TARGET + FAILURE_BYTES;
        return new Estimate(events, largestState, targets, releaseBytes);
    }
}
