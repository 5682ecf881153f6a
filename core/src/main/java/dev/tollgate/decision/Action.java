package dev.tollgate.decision;

/** What the state machine does after an analysis tick; the {@code RouteDecision} Choice state branches on it. */
public enum Action {
    CONTINUE_BAKING,
    NEXT_STEP,
    AWAIT_APPROVAL,
    PROMOTE,
    ROLLBACK
}
