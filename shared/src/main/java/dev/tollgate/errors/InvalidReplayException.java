package dev.tollgate.errors;

/** A replay asked for something it cannot honestly answer (a window in the future, older than CloudWatch keeps, ...). */
public final class InvalidReplayException extends TerminalException {

    public InvalidReplayException(String message) {
        super(message);
    }
}
