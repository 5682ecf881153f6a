package dev.tollgate.errors;

/** An operator's request to break a deployment lock was refused: nothing was changed. */
public final class LockBreakRefusedException extends TerminalException {

    public LockBreakRefusedException(String message) {
        super(message);
    }
}
