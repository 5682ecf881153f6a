package dev.tollgate.decision;

import java.time.Instant;

/** A human's request on a running deployment, read by {@code Decide} at the next tick. */
public record OperatorRequest(Kind kind, String requestedBy, Instant requestedAt, String reason) {

    public enum Kind {
        ABORT,
        PROMOTE
    }
}
