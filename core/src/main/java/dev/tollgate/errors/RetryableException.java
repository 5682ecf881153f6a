package dev.tollgate.errors;

/** A failure that may pass on its own: throttling, a 5xx answer, a dropped connection. The state machine retries it. */
public class RetryableException extends TollgateException {

    public RetryableException(String message) {
        super(message);
    }

    @Override
    public final boolean retryable() {
        return true;
    }
}
