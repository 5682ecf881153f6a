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

    /**
     * Longest message a failure carries. Step Functions keeps a failed task's error in the state
     * ({@code $.failures.<State>}, then the rollback's description and the outcome), and the state holds
     * 256 KiB at most: docs/quotas.md counts each failure at 16 KiB, which a message this long always fits.
     */
    public static final int MAX_MESSAGE_CHARACTERS = 2_000;

    protected TollgateException(String message) {
        this(message, MAX_MESSAGE_CHARACTERS);
    }

    /** For a failure whose message may be longer because no state carries it (an invalid spec fails the execution at once). */
    protected TollgateException(String message, int maxMessageCharacters) {
        super(bounded(message, maxMessageCharacters), null, false, false);
    }

    private static String bounded(String message, int maxCharacters) {
        if (message == null || message.length() <= maxCharacters) {
            return message;
        }
        String omitted = "... (" + (message.length() - maxCharacters) + " more characters)";
        int keep = Math.max(0, maxCharacters - omitted.length());
        if (keep > 0 && Character.isHighSurrogate(message.charAt(keep - 1))) {
            keep--;
        }
        return message.substring(0, keep) + omitted;
    }

    /** True when Step Functions should retry the task (with backoff) rather than take the failure path. */
    public abstract boolean retryable();
}
