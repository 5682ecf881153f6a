package dev.tollgate.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.spec.AnalysisSpec.InconclusivePolicy;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The most a rollout can cost against the quotas of a Step Functions standard execution: its
 * history (25,000 events), its duration (a year) and its state (256 KiB), worked out from the spec
 * and from what {@code deployment.asl.json} records per state. {@link SpecValidator} refuses a spec
 * whose worst case is over, {@code tollgate validate} prints it, and {@code docs/quotas.md} explains
 * every figure. Pure arithmetic on the spec: no AWS, no clock.
 *
 * <p>The worst case is the longest path the spec allows (every step baking to {@code maxBakeSeconds},
 * every gate waiting, every poll to its deadline, the promotion failing at its end and the rollback
 * after it), with every task retried as often as its {@code Retry} rules let it.
 */
public final class RolloutBudget {

    // ---- the quotas (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html) ----

    /** Events in one execution's history. */
    public static final int HISTORY_EVENT_QUOTA = 25_000;
    /** What a spec may use of it: 1,000 events stay free, so that no miscounted state can be what tips a rollout over. */
    public static final int HISTORY_EVENT_LIMIT = 24_000;
    /** How long a standard execution may run. */
    public static final long DURATION_QUOTA_SECONDS = 365L * 24 * 3600;
    /** The largest input or output of a state or task, as UTF-8 JSON. */
    public static final int PAYLOAD_QUOTA_BYTES = 256 * 1024;
    /** Execution names (Tollgate names an execution after the deploymentId). */
    public static final int EXECUTION_NAME_MAX_CHARACTERS = 80;

    // ---- what the state machine records, per state, as AWS records it (docs/quotas.md) ----

    static final int EXECUTION_STARTED_EVENTS = 1;
    /** Entered and exited, for a Choice, Wait or Pass state. */
    static final int PLAIN_STATE_EVENTS = 2;
    /** FailStateEntered, ExecutionFailed. */
    static final int FAIL_STATE_EVENTS = 2;
    /** SucceedStateEntered, SucceedStateExited, ExecutionSucceeded. */
    static final int SUCCEED_STATE_EVENTS = 3;
    /** One analysis tick without a retry: its Wait (WaitForFirstTick or Bake), Decide (a Lambda task, one attempt), RouteDecision (Choice). */
    public static final int EVENTS_PER_TICK = PLAIN_STATE_EVENTS + TaskState.DECIDE.events(0) + PLAIN_STATE_EVENTS;
    /** The same with Decide retried as often as its Retry rules allow. */
    public static final int MAX_EVENTS_PER_TICK =
            PLAIN_STATE_EVENTS + TaskState.DECIDE.maxEvents() + PLAIN_STATE_EVENTS;

    // ---- what the functions and the template do that the spec does not say ----

    /** How often the functions poll what moves by itself: template.yaml's CANARY_POLL_SECONDS and MIGRATION_POLL_SECONDS. */
    public static final int POLL_SECONDS = 15;
    /**
     * How long a CodeDeploy deployment (or its rollback) may still run once Tollgate has answered its
     * hook or stopped it: CodeDeploy fails a lifecycle hook nobody answers within an hour, and Tollgate
     * polls until CodeDeploy says it has ended.
     */
    public static final int CODEDEPLOY_SETTLE_SECONDS = 3_600;

    private RolloutBudget() {}

    /**
     * A Task state of deployment.asl.json: its name, its {@code Retry} rules in order, how long one
     * attempt may last (its function's Timeout in template.yaml) and whether it waits for a task token.
     */
    public enum TaskState {
        VALIDATE_REQUEST("ValidateRequest", Retrier.STANDARD),
        ACQUIRE_LOCK("AcquireLock", Retrier.STANDARD),
        RELEASE_LOCK_AFTER_LOCK_FAILURE("ReleaseLockAfterLockFailure", Retrier.STANDARD),
        CHECK_ERROR_BUDGET("CheckErrorBudget", Retrier.STANDARD),
        FETCH_SECRETS("FetchSecrets", List.of(new Retrier(5, 4, 2.0), Retrier.LAMBDA, Retrier.AWS)),
        RUN_MIGRATIONS("RunMigrations", Retrier.STANDARD, 900, false),
        // A dry run's end: it stops before the canary, so it never adds to the worst case (which deploys).
        RECORD_DRY_RUN("RecordDryRun", Retrier.STANDARD),
        RELEASE_LOCK_AFTER_DRY_RUN("ReleaseLockAfterDryRun", Retrier.PATIENT),
        CHECK_MIGRATION_TASK("CheckMigrationTask", Retrier.STANDARD, 900, false),
        DEPLOY_CANARY("DeployCanary", Retrier.STANDARD),
        CHECK_CANARY_HEALTH("CheckCanaryHealth", Retrier.STANDARD),
        SMOKE_TEST_CANARY("SmokeTestCanary", Retrier.STANDARD),
        SHIFT_TRAFFIC("ShiftTraffic", Retrier.STANDARD),
        WATCH_TRAFFIC_SHIFT("WatchTrafficShift", Retrier.STANDARD),
        DECIDE("Decide", Retrier.STANDARD),
        AWAIT_APPROVAL("AwaitApproval", Retrier.STANDARD, FUNCTION_TIMEOUT_SECONDS, true),
        PROMOTE("Promote", Retrier.STANDARD),
        // The post-promotion watch: one tick a period, like Decide, for the spec's watchSeconds.
        WATCH_AFTER_PROMOTION("WatchAfterPromotion", Retrier.STANDARD),
        // The rollback window: a token parked for the spec's rollbackWindowSeconds (maxSeconds counts a day, the most
        // allowed).
        KEEP_ROLLBACK_WINDOW_OPEN("KeepRollbackWindowOpen", Retrier.STANDARD, FUNCTION_TIMEOUT_SECONDS, true),
        CLOSE_ROLLBACK_WINDOW("CloseRollbackWindow", Retrier.STANDARD),
        RETIRE_OLD_VERSION("RetireOldVersion", Retrier.STANDARD),
        RELEASE_LOCK_AFTER_PROMOTION("ReleaseLockAfterPromotion", Retrier.PATIENT),
        ROLL_BACK("RollBack", List.of(Retrier.LAMBDA, Retrier.AWS_PATIENT, new Retrier(2, 3, 2.0))),
        RELEASE_LOCK_AFTER_ROLLBACK("ReleaseLockAfterRollback", Retrier.PATIENT),
        FLAG_MANUAL_INTERVENTION("FlagManualIntervention", Retrier.PATIENT);

        private final String stateName;
        private final List<Retrier> retriers;
        private final int attemptSeconds;
        private final boolean waitsForTaskToken;
        private final long[] fewestSecondsBeforeRetry;

        TaskState(String stateName, List<Retrier> retriers) {
            this(stateName, retriers, FUNCTION_TIMEOUT_SECONDS, false);
        }

        TaskState(String stateName, List<Retrier> retriers, int attemptSeconds, boolean waitsForTaskToken) {
            this.stateName = stateName;
            this.retriers = List.copyOf(retriers);
            this.attemptSeconds = attemptSeconds;
            this.waitsForTaskToken = waitsForTaskToken;
            this.fewestSecondsBeforeRetry = fewestSecondsBefore(this.retriers);
        }

        public String stateName() {
            return stateName;
        }

        public List<Retrier> retriers() {
            return retriers;
        }

        public boolean waitsForTaskToken() {
            return waitsForTaskToken;
        }

        /** How long one attempt may last: its function's timeout. */
        public int attemptSeconds() {
            return attemptSeconds;
        }

        /** The first attempt and every retry its rules allow. */
        public int maxAttempts() {
            return 1 + retriers.stream().mapToInt(Retrier::maxAttempts).sum();
        }

        /**
         * History events of the state with {@code retries} retries: entered and exited, and per attempt
         * a Lambda function's scheduled, started and succeeded (or failed, or timed out) events; a task
         * that waits for a token also records TaskSubmitted.
         */
        public int events(int retries) {
            return 2 + (waitsForTaskToken ? 4 : 3) * (1 + retries);
        }

        public int maxEvents() {
            return events(maxAttempts() - 1);
        }

        /** The least time {@code retries} retries take: the shortest backoffs the rules allow, whichever errors they follow. */
        long fewestSecondsBeforeRetries(int retries) {
            return fewestSecondsBeforeRetry[retries];
        }

        /** The longest the state can last: every attempt to its timeout, every backoff, and a token's wait of a day. */
        public long maxSeconds() {
            return maxSeconds(APPROVAL_TIMEOUT_SECONDS);
        }

        /** The same with a token's wait of at most {@code tokenWaitSeconds}. */
        public long maxSeconds(long tokenWaitSeconds) {
            long backoffs =
                    retriers.stream().mapToLong(Retrier::totalBackoffSeconds).sum();
            long waitForToken = waitsForTaskToken ? tokenWaitSeconds : 0;
            return (long) maxAttempts() * attemptSeconds + backoffs + waitForToken;
        }

        private static long[] fewestSecondsBefore(List<Retrier> retriers) {
            List<Long> backoffs = new ArrayList<>();
            retriers.forEach(retrier -> backoffs.addAll(retrier.backoffsSeconds()));
            backoffs.sort(null);
            long[] fewest = new long[backoffs.size() + 1];
            for (int retries = 1; retries < fewest.length; retries++) {
                fewest[retries] = fewest[retries - 1] + backoffs.get(retries - 1);
            }
            return fewest;
        }
    }

    /** Globals' Timeout in template.yaml: how long one attempt of most tasks may last. */
    public static final int FUNCTION_TIMEOUT_SECONDS = 60;
    /** AwaitApproval's TimeoutSeconds: an approval gate waits a day at most. */
    public static final int APPROVAL_TIMEOUT_SECONDS = 86_400;

    /** One {@code Retry} rule: the first backoff, how many retries, and by how much each backoff grows. */
    public record Retrier(int intervalSeconds, int maxAttempts, double backoffRate) {

        /** Lambda's own errors (throttling, service errors, a timed out function). */
        static final Retrier LAMBDA = new Retrier(1, 4, 2.0);
        /** An AWS call of the function that failed for a moment. */
        static final Retrier AWS = new Retrier(1, 5, 2.0);
        /** The same, longer, where giving up would leave a lock held or traffic split. */
        static final Retrier AWS_PATIENT = new Retrier(1, 8, 2.0);

        static final List<Retrier> STANDARD = List.of(LAMBDA, AWS);
        static final List<Retrier> PATIENT = List.of(LAMBDA, AWS_PATIENT);

        /** The backoff before each retry, in order. */
        public List<Long> backoffsSeconds() {
            List<Long> backoffs = new ArrayList<>();
            double backoff = intervalSeconds;
            for (int retry = 0; retry < maxAttempts; retry++) {
                backoffs.add((long) Math.floor(backoff));
                backoff *= backoffRate;
            }
            return backoffs;
        }

        long totalBackoffSeconds() {
            return backoffsSeconds().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A part of the rollout and what it may cost at most. */
    public record Part(String what, long historyEvents, long durationSeconds) {}

    /**
     * A spec's worst case: history events, analysis ticks, duration, the largest state and the largest
     * answer of a tick, with the parts that add up to the events and the duration. {@code eventsPerBakeSecond}
     * is how many events each second of {@code maxBakeSeconds} may cost at the spec's period, which says
     * how much bake time the rest of the rollout leaves room for.
     */
    public record Estimate(
            long historyEvents,
            long ticks,
            long durationSeconds,
            long largestStateBytes,
            long largestAnswerBytes,
            List<Part> parts,
            Part tickPart,
            double eventsPerBakeSecond,
            int periodSeconds,
            String largestStateSummary) {

        public Estimate {
            parts = List.copyOf(parts);
        }

        /** Each quota the worst case is over, as a validation problem with the figures and what is allowed. */
        public List<Violation> overQuota() {
            List<Violation> over = new ArrayList<>();
            Part watch = parts.stream()
                    .filter(part -> part.what().startsWith(WATCH_PART))
                    .findFirst()
                    .orElse(null);
            if (historyEvents > HISTORY_EVENT_LIMIT
                    && watch != null
                    && historyEvents - watch.historyEvents() <= HISTORY_EVENT_LIMIT) {
                // The rollout fits without the watch: the watch is what to shorten.
                long room = HISTORY_EVENT_LIMIT - (historyEvents - watch.historyEvents());
                over.add(new Violation(
                        "$.afterPromotion.watchSeconds",
                        "the worst case is " + count(historyEvents)
                                + " history events (" + describeParts(true) + "), above the "
                                + count(HISTORY_EVENT_LIMIT)
                                + " Tollgate allows of the " + count(HISTORY_EVENT_QUOTA) + " AWS allows an execution",
                        "a watch the rest of the rollout leaves room for: " + count(room) + " events, about "
                                + duration((long) (room / eventsPerBakeSecond)) + " of watch at one tick per "
                                + periodSeconds
                                + " s; a shorter watchSeconds or a longer analysis.periodSeconds"));
            } else if (historyEvents > HISTORY_EVENT_LIMIT) {
                long others = historyEvents - tickPart.historyEvents();
                long room = Math.max(0, HISTORY_EVENT_LIMIT - others);
                over.add(new Violation(
                        "$.steps",
                        "the worst case is " + count(historyEvents) + " history events ("
                                + describeParts(true) + "), above the " + count(HISTORY_EVENT_LIMIT)
                                + " Tollgate allows of the "
                                + count(HISTORY_EVENT_QUOTA) + " AWS allows an execution",
                        "at most " + count(HISTORY_EVENT_LIMIT) + " events at worst: the rest of the rollout may take "
                                + count(others) + ", which leaves " + count(room) + " for the ticks, about "
                                + duration((long) (room / eventsPerBakeSecond))
                                + " of maxBakeSeconds over all steps at one tick per "
                                + periodSeconds + " s (a tick costs " + EVENTS_PER_TICK + " events, up to "
                                + MAX_EVENTS_PER_TICK
                                + " with retries); fewer or shorter steps, or a longer "
                                + "analysis.periodSeconds"));
            }
            if (durationSeconds > DURATION_QUOTA_SECONDS) {
                over.add(new Violation(
                        "$.steps",
                        "the worst case lasts " + duration(durationSeconds) + " (" + describeParts(false)
                                + "), longer than the year AWS lets an execution run",
                        "at most 365 days at worst: shorter bake times, fewer steps or fewer approval gates"));
            }
            if (largestStateBytes > PAYLOAD_QUOTA_BYTES) {
                over.add(new Violation(
                        "$",
                        "the state machine's state could reach " + count(largestStateBytes) + " bytes ("
                                + largestStateSummary + "), above the " + count(PAYLOAD_QUOTA_BYTES)
                                + " (256 KiB) Step Functions "
                                + "allows a state",
                        "a smaller spec: fewer or shorter dimensions, metrics, alarms or secrets"));
            }
            if (largestAnswerBytes > PAYLOAD_QUOTA_BYTES) {
                over.add(new Violation(
                        "$.analysis",
                        "a tick's verdict could reach " + count(largestAnswerBytes) + " bytes with "
                                + "every check's reason and numbers at their longest, above the "
                                + count(PAYLOAD_QUOTA_BYTES)
                                + " (256 KiB) Step Functions allows a task's answer",
                        "fewer metrics or alarms, or shorter alarm names"));
            }
            return over;
        }

        /** The worst case as a person reads it: every figure against its quota, and the parts of the history. */
        public List<String> describe() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-20s %s of the %s Tollgate allows (AWS allows %s)",
                    "history events",
                    count(historyEvents),
                    count(HISTORY_EVENT_LIMIT),
                    count(HISTORY_EVENT_QUOTA)));
            int width =
                    parts.stream().mapToInt(part -> part.what().length()).max().orElse(0);
            for (Part part : parts) {
                lines.add(String.format(
                        Locale.ROOT, "    %-" + width + "s %8s", part.what(), count(part.historyEvents())));
            }
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-20s %s (%d events each, up to %d with retries)",
                    "analysis ticks",
                    count(ticks),
                    EVENTS_PER_TICK,
                    MAX_EVENTS_PER_TICK));
            lines.add(String.format(
                    Locale.ROOT, "  %-20s %s of the 365 days AWS allows", "duration", duration(durationSeconds)));
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-20s %s bytes of the %s (256 KiB) AWS allows",
                    "largest state",
                    count(largestStateBytes),
                    count(PAYLOAD_QUOTA_BYTES)));
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-20s %s bytes of the %s AWS allows",
                    "largest tick answer",
                    count(largestAnswerBytes),
                    count(PAYLOAD_QUOTA_BYTES)));
            return lines;
        }

        private String describeParts(boolean events) {
            List<String> described = new ArrayList<>();
            for (Part part : parts) {
                long figure = events ? part.historyEvents() : part.durationSeconds();
                if (figure > 0) {
                    described.add(part.what() + " " + (events ? count(figure) : duration(figure)));
                }
            }
            return String.join(", ", described);
        }
    }

    /** The worst case of a validated spec. */
    public static Estimate of(DeploymentSpec spec) {
        List<Part> parts = new ArrayList<>();
        boolean codeDeploy = spec.target() instanceof CodeDeployTarget;
        int healthTimeout = spec.target().healthTimeoutSeconds();

        parts.add(new Part(
                "validation to the canary's deployment",
                EXECUTION_STARTED_EVENTS
                        + once(
                                TaskState.VALIDATE_REQUEST,
                                TaskState.ACQUIRE_LOCK,
                                TaskState.CHECK_ERROR_BUDGET,
                                TaskState.FETCH_SECRETS,
                                TaskState.RUN_MIGRATIONS,
                                TaskState.DEPLOY_CANARY)
                        + 4 * PLAIN_STATE_EVENTS, // AreMigrationsDone, PinRelease, HasSmokeTest, StartFirstStep
                seconds(
                        TaskState.VALIDATE_REQUEST,
                        TaskState.ACQUIRE_LOCK,
                        TaskState.CHECK_ERROR_BUDGET,
                        TaskState.FETCH_SECRETS,
                        TaskState.RUN_MIGRATIONS,
                        TaskState.DEPLOY_CANARY)));
        if (spec.migrations().mode() == MigrationMode.ECS_TASK) {
            int timeout = spec.migrations().timeoutSeconds();
            parts.add(polled("migration task polls", TaskState.CHECK_MIGRATION_TASK, timeout));
        }
        parts.add(polled("canary health polls", TaskState.CHECK_CANARY_HEALTH, healthTimeout));
        if (spec.smokeTest() != null) {
            // SmokeTestCanary, then DidSmokeTestPass (a failure's DescribeSmokeTestFailure leads to a shorter path)
            parts.add(new Part(
                    "smoke test at 0 %",
                    TaskState.SMOKE_TEST_CANARY.maxEvents() + PLAIN_STATE_EVENTS,
                    TaskState.SMOKE_TEST_CANARY.maxSeconds()));
        }

        int bakedSteps = spec.promotionStepIndex();
        int period = spec.analysis().periodSeconds();
        long ticks = 0;
        long tickEvents = 0;
        long tickSeconds = 0;
        long shiftEvents = 0;
        long shiftSeconds = 0;
        int gates = 0;
        for (int index = 0; index < bakedSteps; index++) {
            StepSpec step = spec.step(index);
            ticks += (step.maxBakeSeconds() + period - 1) / period + 1;
            tickEvents += pollingEvents(TaskState.DECIDE, period, step.maxBakeSeconds());
            tickSeconds += pollingSeconds(TaskState.DECIDE, period, step.maxBakeSeconds());
            shiftEvents += PLAIN_STATE_EVENTS; // WhoShiftsTraffic
            if (codeDeploy) {
                // StartWatchingTrafficShift, the watch (a look, then a wait and a look until shifted), StartWatchedStep
                shiftEvents += 2 * PLAIN_STATE_EVENTS
                        + pollingEvents(TaskState.WATCH_TRAFFIC_SHIFT, POLL_SECONDS, healthTimeout);
                shiftSeconds += pollingSeconds(TaskState.WATCH_TRAFFIC_SHIFT, POLL_SECONDS, healthTimeout);
            } else {
                shiftEvents += TaskState.SHIFT_TRAFFIC.maxEvents();
                shiftSeconds += TaskState.SHIFT_TRAFFIC.maxSeconds();
            }
            // A gate after the step: asked for, or an undecided step paused for a human.
            if (step.approval() || spec.analysis().onInconclusive() == InconclusivePolicy.PAUSE) {
                gates++;
            }
        }
        parts.add(new Part(
                codeDeploy
                        ? "watching CodeDeploy shift (every " + POLL_SECONDS + " s up to " + healthTimeout
                                + " s a step)"
                        : "traffic shifts",
                shiftEvents,
                shiftSeconds));
        Part tickPart = new Part(
                count(ticks) + " analysis ticks (every " + period + " s up to each step's maxBakeSeconds)",
                tickEvents,
                tickSeconds);
        parts.add(tickPart);
        if (gates > 0) {
            parts.add(new Part(
                    gates + " approval gate" + (gates == 1 ? "" : "s") + " (a day each at most)",
                    gates * ((long) TaskState.AWAIT_APPROVAL.maxEvents() + PLAIN_STATE_EVENTS), // AfterApproval
                    gates * TaskState.AWAIT_APPROVAL.maxSeconds()));
        }
        if (spec.watchSeconds() > 0) {
            parts.add(watch(spec));
        }
        parts.add(ending(spec, codeDeploy));

        long events = parts.stream().mapToLong(Part::historyEvents).sum();
        long duration = parts.stream().mapToLong(Part::durationSeconds).sum();
        StatePayload payload = StatePayload.of(spec);
        return new Estimate(
                events,
                ticks,
                duration,
                payload.largestStateBytes(),
                payload.largestAnswerBytes(),
                parts,
                tickPart,
                eventsPerSecond(TaskState.DECIDE, period),
                period,
                payload.summary());
    }

    /**
     * The end of the longest path: the promotion (polled while CodeDeploy finishes it), the watch ticking
     * to its end, the rollback window kept open to its end, then its close fails and the rollback (polled likewise) fails too,
     * and a human is called; or the rollback holds and the lock is released; or the window closes and
     * the old version is retired; whichever records more.
     */
    private static Part ending(DeploymentSpec spec, boolean codeDeploy) {
        // DescribePromotionAtGate (when an operator promotes at a gate), Promote, IsPromotionSettled
        long promoteEvents = PLAIN_STATE_EVENTS + TaskState.PROMOTE.maxEvents() + PLAIN_STATE_EVENTS;
        long promoteSeconds = TaskState.PROMOTE.maxSeconds();
        int window = spec.rollbackWindowSeconds();
        int watch = spec.watchSeconds();
        promoteEvents += PLAIN_STATE_EVENTS + PLAIN_STATE_EVENTS; // IsWatchedAfterPromotion, HasRollbackWindow
        if (window > 0) {
            promoteEvents +=
                    TaskState.KEEP_ROLLBACK_WINDOW_OPEN.maxEvents() + TaskState.CLOSE_ROLLBACK_WINDOW.maxEvents();
            promoteSeconds += TaskState.KEEP_ROLLBACK_WINDOW_OPEN.maxSeconds(window)
                    + TaskState.CLOSE_ROLLBACK_WINDOW.maxSeconds();
        }
        // DescribeFailure (or DescribeRollbackInWindow, DescribeRollbackAfterPromotion), RollBack, IsRollbackSettled
        long rollbackEvents = PLAIN_STATE_EVENTS + TaskState.ROLL_BACK.maxEvents() + PLAIN_STATE_EVENTS;
        long rollbackSeconds = TaskState.ROLL_BACK.maxSeconds();
        if (codeDeploy) {
            promoteEvents += pollingEvents(TaskState.PROMOTE, POLL_SECONDS, CODEDEPLOY_SETTLE_SECONDS);
            promoteSeconds += pollingSeconds(TaskState.PROMOTE, POLL_SECONDS, CODEDEPLOY_SETTLE_SECONDS);
            rollbackEvents += pollingEvents(TaskState.ROLL_BACK, POLL_SECONDS, CODEDEPLOY_SETTLE_SECONDS);
            rollbackSeconds += pollingSeconds(TaskState.ROLL_BACK, POLL_SECONDS, CODEDEPLOY_SETTLE_SECONDS);
        }
        long released = TaskState.RELEASE_LOCK_AFTER_ROLLBACK.maxEvents() + PLAIN_STATE_EVENTS + FAIL_STATE_EVENTS;
        long flagged = TaskState.FLAG_MANUAL_INTERVENTION.maxEvents() + FAIL_STATE_EVENTS;
        long promotedAndRetired = PLAIN_STATE_EVENTS
                + TaskState.RETIRE_OLD_VERSION.maxEvents()
                + TaskState.RELEASE_LOCK_AFTER_PROMOTION.maxEvents()
                + SUCCEED_STATE_EVENTS; // WaitForDrain, Promoted
        // The drain runs during the watch and the window, with the old version still serving: only what is left of it
        // is
        // waited for after.
        long drainLeft = Math.max(0, (long) spec.target().drainSeconds() - watch - window);
        long events = Math.max(
                promoteEvents + rollbackEvents + Math.max(released, flagged), promoteEvents + promotedAndRetired);
        long seconds = Math.max(
                promoteSeconds
                        + rollbackSeconds
                        + Math.max(
                                TaskState.RELEASE_LOCK_AFTER_ROLLBACK.maxSeconds(),
                                TaskState.FLAG_MANUAL_INTERVENTION.maxSeconds()),
                promoteSeconds
                        + drainLeft
                        + TaskState.RETIRE_OLD_VERSION.maxSeconds()
                        + TaskState.RELEASE_LOCK_AFTER_PROMOTION.maxSeconds());
        String watched = watch > 0 ? ", a " + watch + " s watch" : "";
        return new Part(
                window > 0
                        ? "promotion" + watched + ", a " + window + " s rollback window, or rollback, and unlock"
                        : "promotion" + watched + ", or rollback, and unlock",
                events,
                seconds);
    }

    /** How the post-promotion watch's part of the worst case is named: {@link Estimate#overQuota} finds it by it. */
    static final String WATCH_PART = "post-promotion watch";

    /**
     * StartWatchAfterPromotion, then a wait (WaitForFirstWatchTick, then WaitForWatchTick), WatchAfterPromotion and
     * IsWatchOver to the watch's end: ticks at least a period apart (TickSchedule), the first a period after the promotion.
     */
    private static Part watch(DeploymentSpec spec) {
        int period = spec.analysis().periodSeconds();
        int watch = spec.watchSeconds();
        return new Part(
                WATCH_PART + " (a tick every " + period + " s for " + watch + " s)",
                PLAIN_STATE_EVENTS + pollingEvents(TaskState.WATCH_AFTER_PROMOTION, period, watch),
                pollingSeconds(TaskState.WATCH_AFTER_PROMOTION, period, watch));
    }

    /** A task polled every {@link #POLL_SECONDS} up to its deadline. */
    private static Part polled(String what, TaskState task, int deadlineSeconds) {
        return new Part(
                what + " (every " + POLL_SECONDS + " s up to " + deadlineSeconds + " s)",
                pollingEvents(task, POLL_SECONDS, deadlineSeconds),
                pollingSeconds(task, POLL_SECONDS, deadlineSeconds));
    }

    private static long once(TaskState... tasks) {
        long events = 0;
        for (TaskState task : tasks) {
            events += task.maxEvents();
        }
        return events;
    }

    private static long seconds(TaskState... tasks) {
        long seconds = 0;
        for (TaskState task : tasks) {
            seconds += task.maxSeconds();
        }
        return seconds;
    }

    /**
     * The most events a loop can record that goes round, a Wait of {@code pacingSeconds}, the task and
     * a Choice, while less than {@code windowSeconds} have passed since it began (ticks until
     * {@code maxBakeSeconds}; polls until a deadline). A retry records three events more but comes
     * after its backoff, so the rounds that fit in the window record at most the window times the
     * best ratio of events to seconds that any number of retries gives (and never more than every
     * round retried to the end); the round that ends the loop may retry to the end. The window gets
     * one round of slack: the first look of a watch comes without a wait, and clocks differ a little.
     */
    static long pollingEvents(TaskState task, int pacingSeconds, long windowSeconds) {
        long window = windowSeconds + pacingSeconds;
        long roundsByCount = (window + pacingSeconds - 1) / pacingSeconds;
        long byTime = (long) Math.ceil(window * eventsPerSecond(task, pacingSeconds));
        long lastRound = roundEvents(task, task.maxAttempts() - 1);
        return Math.min(byTime, roundsByCount * lastRound) + lastRound;
    }

    /** The most events a round of such a loop records per second it takes, whatever its number of retries. */
    static double eventsPerSecond(TaskState task, int pacingSeconds) {
        double best = 0;
        for (int retries = 0; retries < task.maxAttempts(); retries++) {
            best = Math.max(
                    best,
                    roundEvents(task, retries) / (double) (pacingSeconds + task.fewestSecondsBeforeRetries(retries)));
        }
        return best;
    }

    private static long roundEvents(TaskState task, int retries) {
        return PLAIN_STATE_EVENTS + task.events(retries) + PLAIN_STATE_EVENTS;
    }

    /** The longest such a loop lasts: the window, then a last round that waits and retries to its end. */
    static long pollingSeconds(TaskState task, int pacingSeconds, long windowSeconds) {
        return windowSeconds + pacingSeconds + task.maxSeconds();
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String duration(long seconds) {
        if (seconds < 3_600) {
            return String.format(Locale.ROOT, "%d min %d s", seconds / 60, seconds % 60);
        }
        if (seconds < 3 * 86_400) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3_600.0);
        }
        return String.format(Locale.ROOT, "%.1f days", seconds / 86_400.0);
    }

    /**
     * The most the state machine's state can hold, and the largest answer of a tick, as UTF-8 JSON.
     * The state carries the spec (twice while the canary's deployment hands back the spec with the
     * release pinned in), the pinned secrets, the migrations' outcome, up to four failures (a task's,
     * its copy in the rollback's description, the rollback's own, and the outcome's reason), the decision
     * and the smaller answers of the other tasks. The spec's part is exact; the rest are allowances
     * that the code holds them to (docs/quotas.md says which).
     */
    record StatePayload(long largestStateBytes, long largestAnswerBytes, String summary) {

        /** A failure as the state keeps it: Error and Cause, the cause's message bounded by TollgateException. */
        static final int FAILURE_BYTES = 16 * 1024;

        static final int FAILURES = 4;
        /** The lock, the error budget, the canary's status, progress, watch, approval, outcome and retirement. */
        static final int SMALL_ANSWERS_BYTES = 24 * 1024;
        /** The migrations' outcome: mode, summary, the scripts applied and the ECS task. */
        static final int MIGRATIONS_BYTES = 32 * 1024;
        /** A pinned secret besides its id: its name, ARN, version id and the names of its keys. */
        static final int PINNED_SECRET_BYTES = 4 * 1024;
        /** What a placeholder such as {canaryVersion} may grow by when the release is pinned in: a name of up to 255 characters. */
        static final int PINNED_NAME_BYTES = 266;
        /** The decision in the state: action, reason, next step, who decided, and what an approval leads to. */
        static final int DECISION_BYTES = 200 + Caps.DECISION_REASON_BYTES + 3 * Caps.OPERATOR_NAME_CHARACTERS;

        private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z]+\\}");

        static StatePayload of(DeploymentSpec spec) {
            long specBytes = jsonBytes(spec);
            Matcher placeholders = PLACEHOLDER.matcher(Json.write(spec.analysis()));
            long pinned = specBytes;
            while (placeholders.find()) {
                pinned += PINNED_NAME_BYTES;
            }
            long secrets = 0;
            for (SecretRef secret : spec.secrets()) {
                secrets += PINNED_SECRET_BYTES + 2L * jsonBytes(secret);
            }
            long spec2 = Math.max(2 * pinned, pinned + DECISION_BYTES);
            // The post-promotion watch keeps its last tick (a decision's size) beside the rollout's last decision.
            long watchTick = spec.watchSeconds() > 0 ? DECISION_BYTES : 0;
            long state = spec2
                    + secrets
                    + MIGRATIONS_BYTES
                    + (long) FAILURES * FAILURE_BYTES
                    + SMALL_ANSWERS_BYTES
                    + watchTick;
            long answer = DECISION_BYTES + Caps.verdictBytes(spec.analysis());
            String summary = "the spec as pinned " + count(pinned) + " bytes, twice after the canary's deployment"
                    + (secrets > 0 ? ", " + spec.secrets().size() + " pinned secrets " + count(secrets) : "")
                    + ", and " + count(state - spec2 - secrets)
                    + " for failures, migrations and the other tasks' answers";
            return new StatePayload(state, answer, summary);
        }

        static long jsonBytes(Object value) {
            try {
                return Json.MAPPER.writeValueAsBytes(value).length;
            } catch (JsonProcessingException unwritable) {
                throw new IllegalStateException("a validated spec is always JSON", unwritable);
            }
        }
    }

    /**
     * The sizes the functions hold what they answer to, so that the worst case above is one: a
     * verdict's reasons and numbers, a decision's reason, an operator's name and note. The code that
     * writes them applies these caps (docs/quotas.md lists them); sizes in bytes are of the text as a
     * JSON string, UTF-8 and escaped.
     */
    public static final class Caps {

        /** A metric or SLO check's reason: its numbers in words. */
        public static final int CHECK_REASON_BYTES = 600;
        /** An alarm check's reason ("alarm OK", "no alarm with this name in this account and region"). */
        public static final int ALARM_REASON_BYTES = 100;
        /** Numbers per check, and the length of a number's name. */
        public static final int NUMBERS_PER_CHECK = 32;

        public static final int NUMBER_NAME_CHARACTERS = 32;
        /** One number: "noGrossRegressionEvidence":-1.2345678901234567E-300, with its quotes, colon and comma. */
        static final int NUMBER_BYTES = NUMBER_NAME_CHARACTERS + 4 + 24;
        /** The verdict's own reason: the failing or undecided checks, named. */
        public static final int VERDICT_REASON_BYTES = 2_000;
        /** A decision's reason: the step, the verdict's reason, or an operator's name and note. */
        public static final int DECISION_REASON_BYTES = 3_000;
        /** An operator's name ({@code --as}, or the OS user and caller identity), and their note ({@code --note}, {@code --reason}). */
        public static final int OPERATOR_NAME_CHARACTERS = 256;

        public static final int OPERATOR_NOTE_CHARACTERS = 1_000;
        /**
         * A check's JSON besides its name, reason and numbers:
         * {"name":,"kind":"METRIC","verdict":"INCONCLUSIVE","reason":,"numbers":{},"dryRun":true}.
         */
        static final int CHECK_BYTES = 100;
        /** A verdict's JSON besides its checks and reason: verdict, minimumSampleReached, analysedAt. */
        static final int VERDICT_BYTES = 200;

        private Caps() {}

        /** The most a tick's verdict takes: a check per metric and the SLO with reason and numbers, one per alarm with its name. */
        public static long verdictBytes(AnalysisSpec analysis) {
            long metricCheck = CHECK_BYTES + CHECK_REASON_BYTES + (long) NUMBERS_PER_CHECK * NUMBER_BYTES;
            long bytes = VERDICT_BYTES + VERDICT_REASON_BYTES;
            for (MetricSpec metric : analysis.metrics()) {
                bytes += metricCheck + StatePayload.jsonBytes(metric.name());
            }
            if (analysis.slo() != null) {
                bytes += metricCheck + StatePayload.jsonBytes("slo-burn-rate");
            }
            for (String alarm : analysis.alarms()) {
                bytes += CHECK_BYTES + ALARM_REASON_BYTES + StatePayload.jsonBytes(alarm);
            }
            return bytes;
        }

        /**
         * {@code text} cut to at most {@code maxBytes} as a JSON string (UTF-8, escaped, quotes left
         * out), ending in "…" when cut.
         */
        public static String bounded(String text, int maxBytes) {
            if (text == null || jsonStringBytes(text) <= maxBytes) {
                return text;
            }
            int budget = maxBytes - jsonStringBytes("…");
            int end = 0;
            while (end < text.length()) {
                int codePoint = text.codePointAt(end);
                int size = jsonStringBytes(codePoint);
                if (size > budget) {
                    break;
                }
                budget -= size;
                end += Character.charCount(codePoint);
            }
            return text.substring(0, end) + "…";
        }

        /** The bytes of {@code text} as a JSON string, UTF-8 and escaped as Jackson escapes it, without its quotes. */
        public static int jsonStringBytes(String text) {
            int bytes = 0;
            for (int index = 0; index < text.length(); ) {
                int codePoint = text.codePointAt(index);
                bytes += jsonStringBytes(codePoint);
                index += Character.charCount(codePoint);
            }
            return bytes;
        }

        private static int jsonStringBytes(int codePoint) {
            if (codePoint == '"'
                    || codePoint == '\\'
                    || codePoint == '\b'
                    || codePoint == '\f'
                    || codePoint == '\n'
                    || codePoint == '\r'
                    || codePoint == '\t') {
                return 2;
            }
            if (codePoint < 0x20) {
                return 6;
            }
            return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
        }
    }
}
