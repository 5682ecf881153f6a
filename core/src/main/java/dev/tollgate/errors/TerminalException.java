package dev.tollgate.errors;

/** A failure that retrying will not fix; the deployment takes its failure path (rollback when traffic may have moved). */
public class TerminalException extends TollgateException {

    public TerminalException(String message) {
        super(message);
    }

    protected TerminalException(String message, int maxMessageCharacters) {
        super(message, maxMessageCharacters);
    }

    @Override
    public final boolean retryable() {
        return false;
    }
}
