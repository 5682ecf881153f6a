package dev.tollgate.errors;

/** An AWS call was throttled, answered 5xx or lost its connection. Retried by the state machine. */
public final class AwsUnavailableException extends RetryableException {

    public AwsUnavailableException(String message) {
        super(message);
    }
}
