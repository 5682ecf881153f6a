package dev.tollgate.ops;

import dev.tollgate.json.Json;
import java.time.Instant;
import java.util.Set;

/**
 * One execution of the deployment state machine: its status and, once it ended, its output (on
 * success) or error and cause (on failure). No AWS SDK type leaks past the adapter.
 */
public record ExecutionView(
        String executionArn,
        String name,
        ExecutionState state,
        Instant startedAt,
        Instant stoppedAt,
        String output,
        String error,
        String cause) {

    /** The Fail states whose cause is the whole story (the outcome's reason); any other error is named before its message. */
    private static final Set<String> OUTCOME_ERRORS = Set.of("RolledBack", "DeploymentFailed", "DryRun");

    /**
     * How the deployment ended, as the state machine's terminal states say it: the output's status
     * when it succeeded (PROMOTED), DRY_RUN or ROLLED_BACK by the Fail state's error, FAILED for any
     * other end, RUNNING while it runs.
     */
    public String outcome() {
        return switch (state) {
            case SUCCEEDED ->
                Json.tree(output == null ? "{}" : output).path("status").asText("PROMOTED");
            case RUNNING, PENDING_REDRIVE -> "RUNNING";
            default ->
                switch (error == null ? "" : error) {
                    case "RolledBack" -> "ROLLED_BACK";
                    case "DryRun" -> "DRY_RUN";
                    default -> "FAILED";
                };
        };
    }

    /** Why it ended: the outcome's reason, or the error and its message when something else stopped it. */
    public String reason() {
        if (state == ExecutionState.SUCCEEDED) {
            return Json.tree(output == null ? "{}" : output).path("reason").asText("");
        }
        String failure = error == null ? "" : error;
        String message = HistoryReport.errorMessage(cause);
        return OUTCOME_ERRORS.contains(failure) ? message : failure + ": " + message;
    }
}
