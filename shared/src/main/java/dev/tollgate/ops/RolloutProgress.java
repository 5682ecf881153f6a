package dev.tollgate.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a rollout stands, read from its execution's history: the step and its weight, the last
 * verdict with the checks and numbers behind it, the last decision, and whether an approval gate
 * is waiting. Plain data from plain data: the history's state outputs are Tollgate's own payloads.
 */
public record RolloutProgress(
        String deploymentId,
        int stepCount,
        int stepIndex,
        int canaryWeight,
        String currentState,
        TickVerdict lastVerdict,
        TickDecision lastDecision,
        boolean awaitingApproval) {

    public RolloutProgress {
        currentState = currentState == null ? "" : currentState;
    }

    /** A tick's verdict: overall, and each check with the reason that carries its numbers. */
    public record TickVerdict(String verdict, String reason, List<Check> checks) {
        public TickVerdict {
            checks = List.copyOf(checks);
        }
    }

    /** One check; a {@code dryRun} check took no part in the verdict. */
    public record Check(String name, String verdict, String reason, boolean dryRun) {}

    public record TickDecision(String action, String reason, String decidedBy) {}

    /** Reads the history oldest first; events Tollgate does not know are skipped. */
    public static RolloutProgress from(List<ExecutionEvent> history) {
        String deploymentId = null;
        int stepCount = 0;
        int stepIndex = -1;
        int canaryWeight = 0;
        String currentState = null;
        TickVerdict verdict = null;
        TickDecision decision = null;
        boolean awaitingApproval = false;
        for (ExecutionEvent event : history) {
            if (event.stateEntered()) {
                currentState = event.stateName();
                if ("AwaitApproval".equals(event.stateName())) {
                    awaitingApproval = true;
                }
                continue;
            }
            if (!TickOutputs.worthReading(event)) {
                continue;
            }
            JsonNode output = tree(event.payload());
            JsonNode tickVerdict = TickOutputs.verdict(event, output);
            if (!tickVerdict.isMissingNode()) {
                verdict = verdict(tickVerdict);
            }
            if (!event.stateExited()) {
                continue;
            }
            if ("AwaitApproval".equals(event.stateName())) {
                awaitingApproval = false;
            }
            JsonNode spec = output.path("spec");
            if (spec.isObject()) {
                deploymentId = spec.path("deploymentId").asText(deploymentId);
                stepCount = spec.path("steps").size();
            }
            switch (event.stateName()) {
                case "ShiftTraffic" -> {
                    stepIndex = output.path("progress").path("stepIndex").asInt(stepIndex);
                    canaryWeight = output.path("progress").path("canaryWeight").asInt(canaryWeight);
                    verdict = null;
                }
                case TickOutputs.DECIDE -> decision = decision(output.path("decision"));
                case TickOutputs.WATCH -> decision = decision(output.path("watchTick"));
                case "Promote", "RollBack" ->
                    canaryWeight = output.path("outcome").path("canaryPercent").asInt(canaryWeight);
                default -> {
                    // States before the first step say nothing about weights or verdicts.
                }
            }
        }
        return new RolloutProgress(
                deploymentId, stepCount, stepIndex, canaryWeight, currentState, verdict, decision, awaitingApproval);
    }

    static TickVerdict verdict(JsonNode verdict) {
        List<Check> checks = new ArrayList<>();
        for (JsonNode check : verdict.path("checks")) {
            checks.add(new Check(
                    check.path("name").asText(),
                    check.path("verdict").asText(),
                    check.path("reason").asText(),
                    TickOutputs.isDryRun(check)));
        }
        return new TickVerdict(
                verdict.path("verdict").asText(), verdict.path("reason").asText(), checks);
    }

    static TickDecision decision(JsonNode decision) {
        return new TickDecision(
                decision.path("action").asText(),
                decision.path("reason").asText(),
                decision.path("decidedBy").asText(null));
    }

    private static JsonNode tree(String json) {
        try {
            return Json.tree(json);
        } catch (RuntimeException notJson) {
            return Json.MAPPER.missingNode();
        }
    }

    public boolean started() {
        return stepIndex >= 0;
    }

    /** One line for a pipeline's console or a terminal: {@code step 2/4 at 25 %: healthy}. */
    public String summary() {
        if (!started()) {
            return "preparing: " + preparation(currentState);
        }
        String where = "step " + (stepIndex + 1) + "/" + stepCount + " at " + canaryWeight + " %: ";
        if (awaitingApproval) {
            return where + "waiting for approval";
        }
        if ("Promote".equals(currentState)) {
            return where + "promoting";
        }
        if (isWatching()) {
            return where + "promoted, watching the new version at 100 % against the old version's history ("
                    + (lastDecision == null || !"CONTINUE_WATCHING".equals(lastDecision.action())
                            ? "first tick"
                            : lastDecision.reason())
                    + ")";
        }
        if ("DescribeRollbackAfterPromotion".equals(currentState)) {
            return where + "rolling back after the promotion: the watch found the new version unhealthy";
        }
        if ("HasRollbackWindow".equals(currentState) || "KeepRollbackWindowOpen".equals(currentState)) {
            return where + "promoted, rollback window open (tollgate rollback sends all traffic back)";
        }
        if ("CloseRollbackWindow".equals(currentState)) {
            return where + "promoted, closing the rollback window";
        }
        if ("DescribeRollbackInWindow".equals(currentState)) {
            return where + "rolling back, asked in the rollback window";
        }
        if ("RollBack".equals(currentState)) {
            return where + "rolling back";
        }
        if (lastVerdict == null) {
            return where + "baking";
        }
        return where
                + switch (lastVerdict.verdict()) {
                    case "PASS" -> "healthy";
                    case "FAIL" -> "failing (" + lastVerdict.reason() + ")";
                    default -> "undecided";
                };
    }

    /** True while the post-promotion watch runs (the old version still able to serve). */
    public boolean isWatching() {
        return WATCH_STATES.contains(currentState);
    }

    private static final java.util.Set<String> WATCH_STATES = java.util.Set.of(
            "IsWatchedAfterPromotion",
            "StartWatchAfterPromotion",
            "WaitForWatchTick",
            TickOutputs.WATCH,
            "IsWatchOver");

    /** Rough progress for CodePipeline's percentComplete: steps entered over steps planned. */
    public int percentComplete() {
        if (!started() || stepCount == 0) {
            return 0;
        }
        return Math.min(99, (stepIndex + 1) * 100 / stepCount);
    }

    private static String preparation(String state) {
        return switch (state) {
            case "", "ValidateRequest" -> "validating the request";
            case "AcquireLock" -> "taking the service's lock";
            case "CheckErrorBudget" -> "checking the error budget";
            case "FetchSecrets" -> "pinning secrets";
            case "RunMigrations" -> "running migrations";
            case "RecordDryRun", "ReleaseLockAfterDryRun" -> "dry run: nothing deployed";
            case "DeployCanary", "WaitForCanary", "CheckCanaryHealth", "IsCanaryHealthy" -> "deploying the canary";
            case "HasSmokeTest", "SmokeTestCanary", "DidSmokeTestPass" -> "smoke-testing the canary at 0 %";
            default -> state.toLowerCase(Locale.ROOT);
        };
    }
}
