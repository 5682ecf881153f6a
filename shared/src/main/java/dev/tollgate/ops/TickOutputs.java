package dev.tollgate.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * What an analysis tick leaves in an execution's history. The {@code Decide} function answers with
 * the decision and the verdict it rests on, every check with its numbers: that answer is the
 * history's {@code LambdaFunctionSucceeded} event of the state. The state itself keeps only the
 * decision ({@code $.decision}, the {@code TaskStateExited} output): a verdict of 50 metrics and 100
 * alarms would otherwise take a large part of the 256 KiB a state may hold (docs/quotas.md).
 * Executions started before one task both judged and decided carried the verdict in a state of its
 * own ({@code AnalyzeStep}, {@code $.verdict}); those are read too, so the status and report of a
 * rollout that began before an upgrade still show its verdicts.
 */
public final class TickOutputs {

    /** The Task state of an analysis tick. */
    public static final String DECIDE = "Decide";
    /** The Task state of a tick of the post-promotion watch; its answer has the same shape (a verdict, an action, a reason). */
    public static final String WATCH = "WatchAfterPromotion";
    /** The state that judged a tick before {@code Decide} did (executions started by earlier versions). */
    public static final String EARLIER_ANALYZE_STEP = "AnalyzeStep";

    private TickOutputs() {}

    /** The events whose payload a reader of ticks reads: state outputs, and the Decide function's answer. */
    public static boolean worthReading(ExecutionEvent event) {
        return event.payload() != null && (event.stateExited() || isDecideAnswer(event));
    }

    private static boolean isDecideAnswer(ExecutionEvent event) {
        return event.is("LambdaFunctionSucceeded")
                && (DECIDE.equals(event.stateName()) || WATCH.equals(event.stateName()));
    }

    /** The verdict an event carries: the Decide function's answer, or an earlier AnalyzeStep's output; else a missing node. */
    public static JsonNode verdict(ExecutionEvent event, JsonNode payload) {
        if (isDecideAnswer(event)) {
            return payload.path("verdict");
        }
        if (event.stateExited() && EARLIER_ANALYZE_STEP.equals(event.stateName())) {
            return payload.path("verdict");
        }
        return MissingNode.getInstance();
    }

    /** The decision a tick's state left: the output of Decide's exit, or of a watch tick's; else a missing node. */
    public static JsonNode decision(ExecutionEvent event, JsonNode payload) {
        if (!event.stateExited()) {
            return MissingNode.getInstance();
        }
        return DECIDE.equals(event.stateName())
                ? payload.path("decision")
                : WATCH.equals(event.stateName()) ? payload.path("watchTick") : MissingNode.getInstance();
    }

    /**
     * {@code verdict PASS}, then a line per check with its verdict, name and reason (the numbers), each after
     * {@code indent}; dry-run checks last, each marked {@code dry run}, since they took no part in the verdict.
     */
    public static String describeVerdict(JsonNode verdict, String indent) {
        StringBuilder text =
                new StringBuilder("verdict ").append(verdict.path("verdict").asText());
        for (boolean dryRuns : new boolean[] {false, true}) {
            for (JsonNode check : verdict.path("checks")) {
                if (isDryRun(check) == dryRuns) {
                    text.append('\n')
                            .append(indent)
                            .append(dryRuns ? "dry run " : "")
                            .append(check.path("verdict").asText())
                            .append(' ')
                            .append(check.path("name").asText())
                            .append(": ")
                            .append(check.path("reason").asText());
                }
            }
        }
        return text.toString();
    }

    /** Whether a check of a verdict in the history is a dry run (docs/replay-and-plan.md#dry-run-checks). */
    public static boolean isDryRun(JsonNode check) {
        return check.path("dryRun").asBoolean(false);
    }
}
