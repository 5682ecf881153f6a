package dev.tollgate.errors;

/** An operator approved a deployment that is not waiting at an approval gate (or whose gate was answered meanwhile). */
public final class ApprovalNotPendingException extends TerminalException {

    public ApprovalNotPendingException(String message) {
        super(message);
    }
}
