package dev.tollgate.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * An execution's history told as an operator reads it: shifts, every tick's verdict with each
 * check and its numbers, decisions, approvals, failures and the outcome. Times are UTC.
 */
public final class HistoryReport {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private HistoryReport() {}

    public static List<String> lines(List<ExecutionEvent> history) {
        List<String> lines = new ArrayList<>();
        for (ExecutionEvent event : history) {
            String time = event.at() == null ? "--:--:--" : TIME.format(event.at());
            String line = describe(event);
            if (line != null) {
                lines.add(time + "  " + line.replace("\n", "\n          "));
            }
        }
        return lines;
    }

    static String describe(ExecutionEvent event) {
        if (event.stateEntered() && "AwaitApproval".equals(event.stateName())) {
            return "waiting for approval (tollgate approve | promote | abort)";
        }
        if (event.is("LambdaFunctionFailed") || event.is("TaskFailed")) {
            return "task failed: " + event.error() + ": " + errorMessage(event.cause());
        }
        if (event.is("ExecutionFailed")) {
            return "execution failed: " + event.error() + ": " + errorMessage(event.cause());
        }
        if (!TickOutputs.worthReading(event)) {
            return null;
        }
        JsonNode output;
        try {
            output = Json.tree(event.payload());
        } catch (RuntimeException notJson) {
            return null;
        }
        JsonNode verdict = TickOutputs.verdict(event, output);
        if (!verdict.isMissingNode()) {
            return TickOutputs.describeVerdict(verdict, "  ");
        }
        if (!event.stateExited()) {
            return null;
        }
        int steps = output.path("spec").path("steps").size();
        return switch (event.stateName()) {
            case "ValidateRequest" ->
                "validated: " + steps + " steps, "
                        + output.path("spec").path("analysis").path("metrics").size() + " metrics";
            case "AcquireLock" ->
                "locked service " + output.path("lock").path("service").asText();
            case "RunMigrations", "CheckMigrationTask" ->
                output.path("migrations").path("done").asBoolean()
                        ? "migrations ("
                                + output.path("migrations").path("mode").asText()
                                + (output.path("migrations").path("dryRun").asBoolean() ? ", dry run): " : "): ")
                                + output.path("migrations").path("summary").asText()
                        : null;
            case "RecordDryRun" ->
                "dry run: nothing deployed, canary at "
                        + output.path("outcome").path("canaryPercent").asInt() + " %";
            case "CheckCanaryHealth" ->
                output.path("canary").path("healthy").asBoolean()
                        ? "canary healthy: "
                                + output.path("canary").path("detail").asText()
                        : null;
            case "SmokeTestCanary" ->
                "smoke test at 0 % "
                        + (output.path("canary")
                                        .path("smokeTest")
                                        .path("passed")
                                        .asBoolean()
                                ? "passed: "
                                : "FAILED: ")
                        + output.path("canary").path("smokeTest").path("reason").asText();
            case "ShiftTraffic" ->
                "step " + (output.path("progress").path("stepIndex").asInt() + 1) + "/" + steps + ": canary at "
                        + output.path("progress").path("canaryWeight").asInt() + " %";
            case TickOutputs.DECIDE ->
                "decision: " + output.path("decision").path("action").asText() + " by "
                        + output.path("decision").path("decidedBy").asText("judge") + " ("
                        + output.path("decision").path("reason").asText() + ")";
            case "AwaitApproval" ->
                "approval answered: " + output.path("approval").path("action").asText("APPROVE") + " by "
                        + output.path("approval").path("decidedBy").asText("someone");
            case "Promote" ->
                output.path("outcome").path("watchSeconds").asInt() > 0
                                && "RUNNING"
                                        .equals(output.path("outcome")
                                                .path("status")
                                                .asText())
                        ? "promoted: canary at "
                                + output.path("outcome").path("canaryPercent").asInt() + " %, watched for "
                                + output.path("outcome").path("watchSeconds").asInt()
                                + " s against the old version's history, which stays able to serve"
                        : output.path("outcome").path("rollbackWindowSeconds").asInt() > 0
                                        && "RUNNING"
                                                .equals(output.path("outcome")
                                                        .path("status")
                                                        .asText())
                                ? "promoted: canary at "
                                        + output.path("outcome")
                                                .path("canaryPercent")
                                                .asInt() + " %, rollback window open for "
                                        + output.path("outcome")
                                                .path("rollbackWindowSeconds")
                                                .asInt() + " s (tollgate rollback "
                                        + output.path("spec").path("service").asText() + ")"
                                : finalized(output);
            case TickOutputs.WATCH ->
                "watch after the promotion: "
                        + output.path("watchTick").path("action").asText() + " by "
                        + output.path("watchTick").path("decidedBy").asText("judge") + " after "
                        + output.path("watchTick").path("watchedSeconds").asLong() + " s ("
                        + output.path("watchTick").path("reason").asText() + ")";
            case "DescribeRollbackInWindow" ->
                "rollback asked in the rollback window: "
                        + output.path("rollback").path("errorCause").asText();
            case "CloseRollbackWindow" ->
                "rollback window closed unused: "
                        + output.path("outcome").path("status").asText();
            case "RollBack" -> finalized(output);
            default -> null;
        };
    }

    private static String finalized(JsonNode output) {
        return "finalized: " + output.path("outcome").path("status").asText() + ", canary at "
                + output.path("outcome").path("canaryPercent").asInt() + " % ("
                + output.path("outcome").path("reason").asText() + ")";
    }

    /** A Lambda error's cause is its error document; the message is what an operator needs. */
    public static String errorMessage(String cause) {
        if (cause == null) {
            return "";
        }
        String trimmed = cause.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode document = Json.tree(trimmed);
                if (document.hasNonNull("errorMessage")) {
                    return document.get("errorMessage").asText();
                }
            } catch (RuntimeException notJson) {
                return cause;
            }
        }
        return cause;
    }
}
