package dev.tollgate.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.json.Nullable;
import dev.tollgate.judge.StepVerdict;
import java.time.Instant;

/**
 * The decision after a tick: what to do, why, and which step comes next. {@code decidedBy} is
 * {@code judge} for automatic decisions or the operator who asked for an abort or promotion. For
 * {@code AWAIT_APPROVAL}, {@code onApproval} is what an approval leads to (the next step, or the promotion);
 * it is written out even when empty, because the {@code Decide} state selects it by path.
 * {@code verdict} is the judge's verdict of the tick the decision was taken on, with every check and its
 * numbers: the execution's history keeps it as the {@code Decide} function's answer, and the state
 * leaves it out. Decisions the state machine writes itself (the first step, a promotion at an approval
 * gate) have none. {@code nextTickAt} is when the next tick is due, should the step bake on (TickSchedule):
 * a tick's decision always has it, since the {@code Bake} state waits until it.
 */
public record Decision(
        Action action,
        String reason,
        int nextStepIndex,
        String decidedBy,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Action onApproval,
        @Nullable StepVerdict verdict,
        @Nullable Instant nextTickAt) {

    public Decision(Action action, String reason, int nextStepIndex, String decidedBy, Action onApproval) {
        this(action, reason, nextStepIndex, decidedBy, onApproval, null, null);
    }

    public Decision(Action action, String reason, int nextStepIndex, String decidedBy) {
        this(action, reason, nextStepIndex, decidedBy, null, null, null);
    }
}
