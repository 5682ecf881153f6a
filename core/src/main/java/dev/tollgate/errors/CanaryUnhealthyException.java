package dev.tollgate.errors;

/** The canary did not become healthy in time, or its deployment failed (for ECS, the circuit breaker tripped). */
public final class CanaryUnhealthyException extends TerminalException {

    public CanaryUnhealthyException(String message) {
        super(message);
    }
}
