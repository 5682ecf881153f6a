package dev.tollgate.errors;

/**
 * {@code tollgate rollback} found no rollback window to use: the window has closed (the old version
 * is being or was retired), the service never kept one, or another deployment holds the lock.
 */
public final class RollbackRefusedException extends TerminalException {

    public RollbackRefusedException(String message) {
        super(message);
    }
}
