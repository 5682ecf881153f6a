package dev.tollgate.errors;

/** Another deployment of the same service holds the per-service lock. */
public final class LockHeldException extends TerminalException {

    public LockHeldException(String message) {
        super(message);
    }
}
