package dev.tollgate.errors;

/** The target is not in the state this deployment left it in (someone changed it by hand); Tollgate refuses to act on it. */
public final class TargetStateConflictException extends TerminalException {

    public TargetStateConflictException(String message) {
        super(message);
    }
}
