package dev.tollgate.errors;

/** A function was invoked with a payload it cannot read: not JSON, or missing what the state machine always passes. */
public final class BadRequestException extends TerminalException {

    public BadRequestException(String message) {
        super(message);
    }
}
