package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import dev.tollgate.ops.ExecutionView;
import dev.tollgate.ops.HistoryReport;
import dev.tollgate.ops.StepFunctionsExecutions;
import dev.tollgate.ops.TickOutputs;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Follows an execution's history as it grows and prints what an operator wants to see: each state
 * as it finishes, the weights, the verdicts with their numbers, the decisions and the outcome.
 */
public final class ExecutionWatcher {

    private final SfnClient sfn;
    private final PrintStream out;
    private final Instant started = Instant.now();
    private String lastLine;
    /** The state entered last: a task's own events (its function's answer) name none. */
    private String currentState;

    public ExecutionWatcher(SfnClient sfn, PrintStream out) {
        this.sfn = sfn;
        this.out = out;
    }

    /** Blocks until the execution ends or {@code timeout} passes; returns its last description. */
    public DescribeExecutionResponse follow(String executionArn, Duration timeout) throws InterruptedException {
        long seen = 0;
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            DescribeExecutionResponse execution =
                    sfn.describeExecution(describe -> describe.executionArn(executionArn));
            // Page by page: a long rollout has more events than one page holds (and moto ignores reverseOrder).
            String token = null;
            do {
                String page = token;
                GetExecutionHistoryResponse history = sfn.getExecutionHistory(
                        get -> get.executionArn(executionArn).maxResults(1000).nextToken(page));
                for (HistoryEvent event : history.events()) {
                    if (event.id() > seen) {
                        seen = event.id();
                        print(event);
                    }
                }
                token = history.nextToken();
            } while (token != null);
            if (execution.status() != ExecutionStatus.RUNNING) {
                return execution;
            }
            if (Instant.now().isAfter(deadline)) {
                out.println(stamp() + "still running after " + timeout.toSeconds() + " s; stopped watching");
                return execution;
            }
            Thread.sleep(500);
        }
    }

    private void print(HistoryEvent event) {
        if (event.stateEnteredEventDetails() != null) {
            currentState = event.stateEnteredEventDetails().name();
        }
        if (event.type() == HistoryEventType.TASK_STATE_ENTERED && "AwaitApproval".equals(currentState)) {
            out.println(stamp() + "waiting for approval: tollgate approve | promote | abort <deploymentId>");
            return;
        }
        if (event.type() == HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED
                && (TickOutputs.DECIDE.equals(currentState) || TickOutputs.WATCH.equals(currentState))) {
            JsonNode verdict = Json.tree(
                            event.lambdaFunctionSucceededEventDetails().output())
                    .path("verdict");
            out.println(stamp() + TickOutputs.describeVerdict(verdict, "        "));
        } else if (event.type() == HistoryEventType.TASK_STATE_EXITED
                || event.type() == HistoryEventType.PASS_STATE_EXITED) {
            String state = event.stateExitedEventDetails().name();
            JsonNode output = Json.tree(event.stateExitedEventDetails().output());
            String line = describe(state, output);
            // A target finishing on its own is polled every second or so: say each new situation once.
            if (line != null && !line.equals(lastLine)) {
                out.println(stamp() + line);
                lastLine = line;
            }
        } else if (event.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED) {
            out.println(stamp() + "function failed: "
                    + event.lambdaFunctionFailedEventDetails().error() + ": "
                    + HistoryReport.errorMessage(
                            event.lambdaFunctionFailedEventDetails().cause()));
        } else if (event.type() == HistoryEventType.TASK_FAILED) {
            out.println(stamp() + "task failed: "
                    + event.taskFailedEventDetails().error() + ": "
                    + HistoryReport.errorMessage(event.taskFailedEventDetails().cause()));
        }
    }

    private String stamp() {
        long seconds = Duration.between(started, Instant.now()).getSeconds();
        return String.format(Locale.ROOT, "[%3ds] ", seconds);
    }

    static String describe(String state, JsonNode output) {
        return switch (state) {
            case "ValidateRequest" ->
                "validated " + output.path("spec").path("deploymentId").asText() + ": "
                        + output.path("spec").path("steps").size() + " steps, "
                        + output.path("spec").path("analysis").path("metrics").size()
                        + " metrics, "
                        + output.path("spec").path("analysis").path("alarms").size() + " alarms";
            case "AcquireLock" ->
                "locked service " + output.path("lock").path("service").asText();
            case "CheckErrorBudget" ->
                "error budget: " + output.path("budget").path("summary").asText();
            case "FetchSecrets" -> pinnedSecrets(output.path("secrets"));
            case "RunMigrations", "CheckMigrationTask" ->
                migrations(
                        output.path("migrations"),
                        output.path("spec")
                                .path("migrations")
                                .path("allowDestructive")
                                .asBoolean());
            case "RecordDryRun" ->
                "dry run recorded: " + output.path("outcome").path("status").asText() + ", nothing deployed, canary at "
                        + output.path("outcome").path("canaryPercent").asInt() + " %";
            case "DeployCanary" ->
                "canary deploying: " + output.path("canary").path("detail").asText();
            case "CheckCanaryHealth" ->
                output.path("canary").path("healthy").asBoolean()
                        ? "canary healthy: "
                                + output.path("canary").path("detail").asText()
                        : null;
            case "ShiftTraffic" ->
                "shifted: step " + (output.path("progress").path("stepIndex").asInt() + 1) + "/"
                        + output.path("spec").path("steps").size() + ", canary at "
                        + output.path("progress").path("canaryWeight").asInt() + " %";
            case "AwaitApproval" ->
                "approval answered: " + output.path("approval").path("action").asText("APPROVE") + " by "
                        + output.path("approval").path("decidedBy").asText("someone");
            case TickOutputs.DECIDE ->
                "decision: " + output.path("decision").path("action").asText() + " ("
                        + output.path("decision").path("reason").asText() + ")";
            case TickOutputs.WATCH ->
                "watch after the promotion: "
                        + output.path("watchTick").path("action").asText() + " ("
                        + output.path("watchTick").path("reason").asText() + ")";
            case "WatchTrafficShift" ->
                output.path("watch").path("shifted").asBoolean()
                        ? "shifted by the target: step "
                                + (output.path("watch").path("stepIndex").asInt() + 1) + "/"
                                + output.path("spec").path("steps").size() + ", canary at "
                                + output.path("watch").path("canaryWeight").asInt() + " %"
                        : null;
            case "Promote", "RollBack" ->
                output.path("outcome").isMissingNode()
                        ? null
                        : !output.path("outcome").path("settled").asBoolean(true)
                                ? ("Promote".equals(state) ? "promoting: " : "rolling back: ")
                                        + output.path("outcome").path("reason").asText()
                                : "finalized: "
                                        + output.path("outcome").path("status").asText() + ", canary at "
                                        + output.path("outcome")
                                                .path("canaryPercent")
                                                .asInt() + " %";
            default -> null;
        };
    }

    /** Id and version id of each pinned secret: never more. */
    private static String pinnedSecrets(JsonNode pinned) {
        StringBuilder line = new StringBuilder("secrets pinned: ")
                .append(pinned.path("secrets").size());
        for (JsonNode secret : pinned.path("secrets")) {
            line.append("\n        ")
                    .append(secret.path("id").asText())
                    .append(" at version ")
                    .append(secret.path("versionId").asText());
        }
        return line.toString();
    }

    private static String migrations(JsonNode migrations, boolean allowDestructive) {
        StringBuilder line = new StringBuilder("migrations (")
                .append(migrations.path("mode").asText())
                .append("): ");
        if (migrations.path("dryRun").asBoolean()) {
            line.append("dry run, nothing applied");
            for (JsonNode pending : migrations.path("pending")) {
                line.append("\n        would apply ")
                        .append(pending.path("script").asText())
                        .append(": ")
                        .append(pending.path("version").asText(""))
                        .append(' ')
                        .append(pending.path("description").asText());
            }
            for (JsonNode destructive : migrations.path("destructive")) {
                line.append("\n        ")
                        .append(allowDestructive ? "allowDestructive lets through " : "the guard would refuse ")
                        .append(destructive.path("script").asText())
                        .append(':')
                        .append(destructive.path("line").asInt())
                        .append(" `")
                        .append(destructive.path("statement").asText())
                        .append("`: ")
                        .append(destructive.path("reason").asText());
            }
            return line.toString();
        }
        line.append(migrations.path("summary").asText());
        for (JsonNode applied : migrations.path("applied")) {
            line.append("\n        applied ")
                    .append(applied.path("script").asText())
                    .append(" (")
                    .append(applied.path("executionMillis").asLong())
                    .append(" ms)");
        }
        return line.toString();
    }

    /** The outcome line: {@code outcome: PROMOTED <deploymentId> <reason>}. */
    public static Outcome outcome(DescribeExecutionResponse execution, String deploymentId) {
        if (execution.status() == ExecutionStatus.RUNNING) {
            return new Outcome("FAILED", deploymentId, "still running when the watch ended");
        }
        ExecutionView view = StepFunctionsExecutions.view(execution);
        return new Outcome(view.outcome(), deploymentId, view.reason());
    }

    /** How a deployment ended, as the demo's last line says it. */
    public record Outcome(String status, String deploymentId, String reason) {
        @Override
        public String toString() {
            return "outcome: " + status + " " + deploymentId + " " + reason;
        }
    }
}
