package dev.tollgate.local.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What Lambda's Invoke answers for one invocation: the function's response, or an error document
 * ({@code {"errorMessage", "errorType", "stackTrace"}}) with {@code X-Amz-Function-Error: Unhandled}.
 *
 * @param status how the invocation ended, as Lambda's REPORT line says it
 */
public record InvocationResult(byte[] payload, boolean functionError, Status status) {

    /** How an invocation ended. Only after SUCCESS and ERROR is the execution environment still usable. */
    public enum Status {
        SUCCESS,
        ERROR,
        INIT_ERROR,
        TIMEOUT,
        EXITED;

        /** The status Lambda's platform report gives such an invocation. */
        String reportName() {
            return switch (this) {
                case SUCCESS -> "success";
                case ERROR, INIT_ERROR -> "error";
                case TIMEOUT -> "timeout";
                case EXITED -> "failure";
            };
        }
    }

    public static InvocationResult success(byte[] payload) {
        return new InvocationResult(payload, false, Status.SUCCESS);
    }

    /** An error document as the runtime posted it (or as Lambda builds it), answered with {@code X-Amz-Function-Error: Unhandled}. */
    public static InvocationResult error(byte[] document, Status status) {
        return new InvocationResult(document, true, status);
    }

    /**
     * What Lambda answers for an invocation that ran past the function's timeout; the environment is
     * then discarded.
     */
    public static InvocationResult timedOut(String requestId, int timeoutSeconds) {
        return error(
                document(
                        "Sandbox.Timedout",
                        String.format(
                                Locale.ROOT,
                                "RequestId: %s Error: Task timed out after %d.00 seconds",
                                requestId,
                                timeoutSeconds),
                        List.of()),
                Status.TIMEOUT);
    }

    /** What Lambda answers when the runtime's process ended during an invocation without reporting. */
    public static InvocationResult exited(String requestId, int exitStatus) {
        return error(
                document(
                        "Runtime.ExitError",
                        "RequestId: " + requestId + " Error: Runtime exited with error: exit status " + exitStatus,
                        List.of()),
                Status.EXITED);
    }

    /** Lambda's error document: type, message and the frames (empty for Lambda's own errors). */
    public static byte[] document(String errorType, String errorMessage, List<String> stackTrace) {
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put("errorMessage", errorMessage);
        document.put("errorType", errorType);
        if (!stackTrace.isEmpty()) {
            stackTrace.forEach(document.putArray("stackTrace")::add);
        }
        return Json.write(document).getBytes(StandardCharsets.UTF_8);
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The execution environment served this invocation and can serve the next one. */
    boolean environmentReusable() {
        return status == Status.SUCCESS || status == Status.ERROR;
    }
}
