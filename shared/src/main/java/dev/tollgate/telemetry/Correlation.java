package dev.tollgate.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which deployment an invocation works for, read from its event: the keys every log line, trace
 * annotation and deployment event of that invocation carries. Any of them may be unknown (a direct
 * invocation, a malformed event); the state machine passes the execution's ARN, the state's name and
 * its retry count in an {@code execution} block ({@code "execution": {"arn.$": "$$.Execution.Id", ...}}).
 */
public record Correlation(
        String deploymentId, String service, String executionArn, String state, Integer stepIndex, Integer retryCount) {

    public static final Correlation NONE = new Correlation(null, null, null, null, null, null);

    /** The log keys, in the order an operator reads them. */
    public static final String DEPLOYMENT_ID = "deploymentId";

    public static final String SERVICE = "service";
    public static final String EXECUTION_ARN = "executionArn";
    public static final String STATE = "state";
    public static final String STEP_INDEX = "stepIndex";
    public static final String RETRY_COUNT = "retryCount";

    /** Reads what the event has; never fails (an event too broken to read fails later, in the handler, with a reason). */
    public static Correlation of(JsonNode event) {
        if (event == null || !event.isObject()) {
            return NONE;
        }
        JsonNode spec = event.path("spec");
        JsonNode execution = event.path("execution");
        return new Correlation(
                text(spec.path("deploymentId"), event.path("deploymentId")),
                text(spec.path("service"), event.path("service")),
                text(execution.path("arn"), event.path("executionArn")),
                text(execution.path("state")),
                number(event.path("progress").path("stepIndex"), event.path("stepIndex"), event.path("nextStepIndex")),
                number(execution.path("retryCount")));
    }

    /** The keys that are known, as log keys. */
    public Map<String, String> logKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        put(keys, DEPLOYMENT_ID, deploymentId);
        put(keys, SERVICE, service);
        put(keys, EXECUTION_ARN, executionArn);
        put(keys, STATE, state);
        put(keys, STEP_INDEX, stepIndex == null ? null : stepIndex.toString());
        put(keys, RETRY_COUNT, retryCount == null ? null : retryCount.toString());
        return keys;
    }

    private static void put(Map<String, String> keys, String key, String value) {
        if (value != null) {
            keys.put(key, value);
        }
    }

    private static String text(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                // Bounded: a key is for finding lines, not for carrying an oversized event into every line.
                String value = candidate.asText();
                return value.length() > 512 ? value.substring(0, 512) : value;
            }
        }
        return null;
    }

    private static Integer number(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            if (candidate.isIntegralNumber() && candidate.canConvertToInt()) {
                return candidate.intValue();
            }
        }
        return null;
    }
}
