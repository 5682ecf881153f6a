package dev.tollgate.functions.finalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.finalize.FinalizeHandler.Rollback;
import dev.tollgate.json.Json;

/**
 * Turns the error Step Functions caught into one readable line. A Lambda error's cause is the
 * function's error document ({@code {"errorType", "errorMessage", ...}}); only the message is kept.
 */
final class FailureReport {

    private FailureReport() {
    }

    static String describe(Rollback rollback) {
        String error = rollback.error() == null || rollback.error().isBlank() ? "an unknown error" : shortName(rollback.error());
        String cause = rollback.errorCause() == null ? "" : rollback.errorCause().trim();
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
        return "failed with " + error + (cause.isEmpty() ? "" : ": " + cause);
    }

    /** {@code dev.tollgate.errors.CanaryUnhealthyException} reads better as {@code CanaryUnhealthy}. */
    static String shortName(String error) {
        String simple = error.substring(error.lastIndexOf('.') + 1);
        return simple.endsWith("Exception") && simple.length() > "Exception".length()
                ? simple.substring(0, simple.length() - "Exception".length())
                : simple;
    }
}
