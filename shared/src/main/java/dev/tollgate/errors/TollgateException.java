package dev.tollgate.errors;

/**
 * Base of every failure a Tollgate function reports to the state machine. The Java Lambda runtime
 * names the error after the exception's class (fully qualified), so these class names are the
 * {@code ErrorEquals} names in {@code deployment.asl.json}: keep them stable.
 *
 * <p>No stack trace is captured: the message is what an operator reads in the execution history,
 * and a stack trace there helps nobody and could carry request data.
 */
public abstract class TollgateException extends RuntimeException {

    protected TollgateException(String message) {
        super(message, null, false, false);
    }

    /** True when Step Functions should retry the task (with backoff) rather than take the failure path. */
    public abstract boolean retryable();
}
