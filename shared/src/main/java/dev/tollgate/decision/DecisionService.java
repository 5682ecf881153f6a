package dev.tollgate.decision;

import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.spec.DeploymentSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Reads any operator request from the deployment's record, applies the policy, and notes the decision on the timeline. */
public final class DecisionService {

    private final DeploymentStore store;
    private final DecisionPolicy policy;
    private final Clock clock;
    private final DeploymentEvents events;

    public DecisionService(DeploymentStore store, DecisionPolicy policy, Clock clock) {
        this(store, policy, clock, DeploymentEvents.NONE);
    }

    /** {@code events} hears every tick's verdict with the decision taken on it. */
    public DecisionService(DeploymentStore store, DecisionPolicy policy, Clock clock, DeploymentEvents events) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.events = events;
    }

    public Decision decide(DeploymentSpec spec, StepProgress progress, StepVerdict verdict) {
        progress.requireStepOf(spec);
        Instant now = clock.instant();
        Optional<DeploymentRecord> record = store.find(spec.deploymentId());
        Optional<OperatorRequest> request = record.map(DeploymentRecord::operatorRequest);
        Decision decision = policy.decide(spec, progress, verdict, request, now);
        if (worthRecording(decision, verdict, progress, record)) {
            // Keyed by the verdict's time: a retried Decide writes nothing new.
            String entryId = "tick-" + progress.stepIndex() + "-" + verdict.analysedAt().toEpochMilli();
            store.append(spec.deploymentId(), new TimelineEntry(entryId, now, "Decide",
                    decision.action() + ": " + decision.reason(), progress.stepIndex(), progress.canaryWeight(),
                    verdict.verdict().name()));
        }
        events.publish(DeploymentEvent.stepVerdict(spec.deploymentId(), spec.service(), now, progress.stepIndex(),
                spec.steps().size(), progress.canaryWeight(), verdict, decision.action().name(), decision.decidedBy(),
                decision.reason(), progress.stepStartedAt()));
        return decision;
    }

    /**
     * Every decision that changes something goes on the record; a tick that only bakes on goes there
     * when its verdict differs from the step's last recorded one. The record (one DynamoDB item, at
     * most 400 KB) then grows with what happened, not with how long a step baked; every tick stays
     * in the execution history.
     */
    static boolean worthRecording(Decision decision, StepVerdict verdict, StepProgress progress, Optional<DeploymentRecord> record) {
        if (decision.action() != Action.CONTINUE_BAKING) {
            return true;
        }
        Optional<TimelineEntry> lastTick = record.flatMap(found -> found.timeline().stream()
                .filter(entry -> "Decide".equals(entry.state()) && Integer.valueOf(progress.stepIndex()).equals(entry.stepIndex()))
                .reduce((first, second) -> second));
        return lastTick.map(entry -> !verdict.verdict().name().equals(entry.verdict())).orElse(true);
    }
}
