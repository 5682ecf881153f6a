package dev.tollgate.functions.finalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.finalize.FinalizeHandler.Rollback;
import dev.tollgate.json.Json;

/**
 * Turns the error Step Functions caught into one readable line. A Lambda error's cause is the
 * function's error document ({@code {"errorType", "errorMessage", ...}}); only the message is kept.
 */
final class FailureReport {

    private FailureReport() {}

    static String describe(Rollback reported) {
        Rollback rollback = reported.located();
        String error = rollback.error() == null || rollback.error().isBlank()
                ? "an unknown error"
                : shortName(rollback.error());
        String cause =
                rollback.errorCause() == null ? "" : rollback.errorCause().trim();
        if (cause.startsWith("{")) {
            try {
                JsonNode document = Json.tree(cause);
                if (document.hasNonNull("errorMessage")) {
                    cause = document.get("errorMessage").asText();
                }
            } catch (RuntimeException notJson) {
                // Keep the cause as it came.
            }
        }
        String where = rollback.state() == null || rollback.state().isBlank() ? "" : " in " + rollback.state();
        return "failed" + where + " with " + error + (cause.isEmpty() ? "" : ": " + cause);
    }

    /**
     * {@code dev.tollgate.errors.CanaryUnhealthyException} reads better as {@code CanaryUnhealthy};
     * Step Functions' and Lambda's own names ({@code States.Timeout}, {@code Sandbox.Timedout}) stay whole.
     */
    static String shortName(String error) {
        if (!error.endsWith("Exception") || !error.contains(".")) {
            return error;
        }
        String simple = error.substring(error.lastIndexOf('.') + 1);
        return simple.length() > "Exception".length()
                ? simple.substring(0, simple.length() - "Exception".length())
                : simple;
    }
}
