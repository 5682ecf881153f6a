package dev.tollgate.errors;

/**
 * A replay or a plan asked about past data it cannot honestly answer for: a window in the future, older than
 * CloudWatch keeps at the spec's period, or without enough data.
 */
public final class InvalidWindowException extends TerminalException {

    public InvalidWindowException(String message) {
        super(message);
    }
}
