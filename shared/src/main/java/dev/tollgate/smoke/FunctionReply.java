package dev.tollgate.smoke;

/**
 * What a synchronous invocation came back with. {@code payload} is the function's answer for
 * {@link Kind#ANSWERED}; otherwise {@code detail} says what went wrong (the error type and message,
 * the timeout, or why the function could not be reached).
 */
public record FunctionReply(Kind kind, String payload, String detail) {

    public enum Kind {
        /** The function returned; its payload is its answer. */
        ANSWERED,
        /** The function ran and threw, or Lambda reported a function error (X-Amz-Function-Error). */
        FUNCTION_ERROR,
        /** No answer within the timeout. */
        TIMED_OUT,
        /** Lambda refused or could not be reached: no such function, no permission, throttled after retries. */
        UNREACHABLE
    }

    public static FunctionReply answered(String payload) {
        return new FunctionReply(Kind.ANSWERED, payload, "");
    }

    public static FunctionReply failed(Kind kind, String detail) {
        return new FunctionReply(kind, "", detail);
    }
}
