package dev.tollgate.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * What an analysis tick leaves in an execution's history: the output of its {@code Decide} state holds
 * the decision ({@code $.decision}) and the verdict it rests on ({@code $.decision.verdict}), every check
 * with its numbers. Executions started before one task both judged and decided carried the verdict in a
 * state of its own ({@code AnalyzeStep}, {@code $.verdict}); those are read too, so the status and
 * report of a rollout that began before an upgrade still show its verdicts.
 */
public final class TickOutputs {

    /** The Task state of an analysis tick. */
    public static final String DECIDE = "Decide";
    /** The state that judged a tick before {@code Decide} did (executions started by earlier versions). */
    public static final String EARLIER_ANALYZE_STEP = "AnalyzeStep";

    private TickOutputs() {
    }

    /** The verdict in the output of the state {@code stateName}; a missing node when that state left none. */
    public static JsonNode verdict(String stateName, JsonNode output) {
        if (DECIDE.equals(stateName)) {
            return output.path("decision").path("verdict");
        }
        return EARLIER_ANALYZE_STEP.equals(stateName) ? output.path("verdict") : MissingNode.getInstance();
    }

    /** The tick's decision in the output of the state {@code stateName}; a missing node for any other state. */
    public static JsonNode decision(String stateName, JsonNode output) {
        return DECIDE.equals(stateName) ? output.path("decision") : MissingNode.getInstance();
    }

    /** {@code verdict PASS}, then a line per check with its verdict, name and reason (the numbers), each after {@code indent}. */
    public static String describeVerdict(JsonNode verdict, String indent) {
        StringBuilder text = new StringBuilder("verdict ").append(verdict.path("verdict").asText());
        for (JsonNode check : verdict.path("checks")) {
            text.append('\n').append(indent).append(check.path("verdict").asText()).append(' ').append(check.path("name").asText())
                    .append(": ").append(check.path("reason").asText());
        }
        return text.toString();
    }
}
