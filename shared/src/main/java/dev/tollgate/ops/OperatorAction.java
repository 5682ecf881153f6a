package dev.tollgate.ops;

/**
 * What an operator's approve, abort or promote did: {@code answeredGate} is true when it answered a
 * waiting approval gate (the state machine moves at once), false when it left a request on the
 * record for {@code Decide} at the next tick. {@code message} says which, for the terminal.
 */
public record OperatorAction(String deploymentId, String requestedBy, boolean answeredGate, String message) {}
