package dev.tollgate.decision;

/**
 * The decision after a tick: what to do, why, and which step comes next. {@code decidedBy} is
 * {@code judge} for automatic decisions or the operator who asked for an abort or promotion. For
 * {@code AWAIT_APPROVAL}, {@code onApproval} is what an approval leads to (the next step, or the promotion).
 */
public record Decision(Action action, String reason, int nextStepIndex, String decidedBy, Action onApproval) {

    public Decision(Action action, String reason, int nextStepIndex, String decidedBy) {
        this(action, reason, nextStepIndex, decidedBy, null);
    }
}
