package dev.tollgate.errors;

/** A bug or an unforeseen failure inside a function; the deployment takes its failure path. */
public final class UnexpectedFailureException extends TerminalException {

    public UnexpectedFailureException(String message) {
        super(message);
    }
}
