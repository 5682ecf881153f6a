package dev.tollgate.rollout;

import dev.tollgate.decision.Action;
import dev.tollgate.decision.Decision;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.decision.StepAnalysis;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.decision.TickSchedule;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.RolloutBudget.Caps;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One analysis tick: the step's verdict from the evidence, any operator request from the deployment's
 * record, the policy's decision on both, noted on the timeline. One function and one Task state per
 * tick, so that a tick costs as few history events as it can (docs/quotas.md).
 */
public final class DecisionService {

    private final StepAnalysis analysis;
    private final DeploymentStore store;
    private final DecisionPolicy policy;
    private final Clock clock;
    private final DeploymentEvents events;

    public DecisionService(StepAnalysis analysis, DeploymentStore store, DecisionPolicy policy, Clock clock) {
        this(analysis, store, policy, clock, DeploymentEvents.NONE);
    }

    /** {@code events} hears every tick's verdict with the decision taken on it. */
    public DecisionService(
            StepAnalysis analysis, DeploymentStore store, DecisionPolicy policy, Clock clock, DeploymentEvents events) {
        this.analysis = analysis;
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Judges the step and decides. {@code tickStartedAt} is when the state machine entered the tick
     * ({@code $$.State.EnteredTime}), the same for every retry of it: a retried tick reads the evidence
     * again and notes its decision once; should the evidence or an operator have changed its action in
     * between, the action the state machine goes on with is noted too. {@code retryCount} is the
     * state's ({@code $$.State.RetryCount}): a retried tick puts its next one a whole period after it.
     */
    public Decision decide(DeploymentSpec spec, StepProgress progress, Instant tickStartedAt, int retryCount) {
        progress.requireStepOf(spec);
        StepVerdict verdict = analysis.analyse(spec, progress, tickStartedAt);
        // The tick decides at the instant it read its evidence, so the bake time it weighs is the one its
        // verdict saw, and a replay of the tick (tollgate replay) reaches the same decision.
        Instant now = verdict.analysedAt() != null
                ? verdict.analysedAt()
                : TickSchedule.readAsOf(clock.instant(), tickStartedAt);
        Optional<DeploymentRecord> record = store.find(spec.deploymentId());
        Optional<OperatorRequest> request = record.map(DeploymentRecord::operatorRequest);
        Decision decided = policy.decide(spec, progress, verdict, request, now);
        // Held to the size the spec's budget counts on: the reason goes into the state, the record and the outcome.
        Decision decision = new Decision(
                decided.action(),
                Caps.bounded(decided.reason(), Caps.DECISION_REASON_BYTES),
                decided.nextStepIndex(),
                decided.decidedBy(),
                decided.onApproval(),
                verdict,
                TickSchedule.nextTickAt(now, spec.analysis().periodSeconds(), retryCount));
        if (worthRecording(decision, verdict, progress, record)) {
            // Keyed by the tick and its action: a retried Decide that decides the same writes nothing new.
            String entryId =
                    "tick-" + progress.stepIndex() + "-" + tickStartedAt.toEpochMilli() + "-" + decision.action();
            store.append(
                    spec.deploymentId(),
                    new TimelineEntry(
                            entryId,
                            now,
                            "Decide",
                            Caps.bounded(decision.action() + ": " + decision.reason(), TIMELINE_MESSAGE_BYTES),
                            progress.stepIndex(),
                            progress.canaryWeight(),
                            verdict.verdict().name()));
        }
        events.publish(DeploymentEvent.stepVerdict(
                spec.deploymentId(),
                spec.service(),
                now,
                progress.stepIndex(),
                spec.steps().size(),
                progress.canaryWeight(),
                verdict,
                decision.action().name(),
                decision.decidedBy(),
                decision.reason(),
                progress.stepStartedAt()));
        return decision;
    }

    /** A tick's note on the record: its decision and the start of the reason (the history keeps the whole). */
    static final int TIMELINE_MESSAGE_BYTES = 600;
    /** Notes of ticks that only bake on, per step: a verdict that flips between PASS and INCONCLUSIVE for hours stops here. */
    static final int BAKING_NOTES_PER_STEP = 10;

    /**
     * Every decision that changes something goes on the record; a tick that only bakes on goes there
     * when its verdict differs from the step's last recorded one, up to {@link #BAKING_NOTES_PER_STEP}
     * a step. The record (one DynamoDB item, at most 400 KB) then grows with what happened, not with how
     * long a step baked, and stays far below its limit for any spec that validates (at most 20 steps);
     * every tick stays in the execution history.
     */
    static boolean worthRecording(
            Decision decision, StepVerdict verdict, StepProgress progress, Optional<DeploymentRecord> record) {
        if (decision.action() != Action.CONTINUE_BAKING) {
            return true;
        }
        List<TimelineEntry> stepTicks = record.map(found -> found.timeline().stream()
                        .filter(entry -> "Decide".equals(entry.state())
                                && Integer.valueOf(progress.stepIndex()).equals(entry.stepIndex()))
                        .toList())
                .orElse(List.of());
        if (stepTicks.isEmpty()) {
            return true;
        }
        return stepTicks.size() < BAKING_NOTES_PER_STEP
                && !verdict.verdict()
                        .name()
                        .equals(stepTicks.get(stepTicks.size() - 1).verdict());
    }
}
