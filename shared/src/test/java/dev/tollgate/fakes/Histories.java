package dev.tollgate.fakes;

import dev.tollgate.ops.ExecutionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds execution histories the way Step Functions records Tollgate's states, for tests of what reads them. */
public final class Histories {

    private final List<ExecutionEvent> events = new ArrayList<>();
    private Instant at = Instant.parse("2026-11-24T11:00:00Z");
    private final String spec;

    /** {@code stepWeights}: the spec's steps, e.g. 10, 50, 100. */
    public Histories(String deploymentId, int... stepWeights) {
        StringBuilder steps = new StringBuilder();
        for (int weight : stepWeights) {
            steps.append(steps.length() == 0 ? "" : ",")
                    .append("{\"weight\":")
                    .append(weight)
                    .append('}');
        }
        this.spec =
                "{\"deploymentId\":\"" + deploymentId + "\",\"steps\":[" + steps + "],\"analysis\":{\"metrics\":[]}}";
    }

    public Histories entered(String state) {
        return add("TaskStateEntered", state, "{\"spec\":" + spec + "}");
    }

    public Histories exited(String state, String resultField, String resultJson) {
        return add("TaskStateExited", state, "{\"spec\":" + spec + ",\"" + resultField + "\":" + resultJson + "}");
    }

    public Histories shifted(int stepIndex, int weight) {
        entered("ShiftTraffic");
        return exited("ShiftTraffic", "progress", "{\"stepIndex\":" + stepIndex + ",\"canaryWeight\":" + weight + "}");
    }

    /** A tick that bakes on: a {@code Decide} state whose decision carries the verdict. */
    public Histories verdict(String verdict, String checkName, String checkReason) {
        return tick(verdict, checkName, checkReason, "CONTINUE_BAKING", "baking; " + verdict + " so far");
    }

    /**
     * One analysis tick: the Decide function answers with the decision and the verdict it rests on
     * (the history's LambdaFunctionSucceeded event); the state keeps the decision alone.
     */
    public Histories tick(String verdict, String checkName, String checkReason, String action, String reason) {
        String decision = "\"action\":\"" + action + "\",\"reason\":\"" + reason + "\",\"decidedBy\":\"judge\"";
        entered("Decide");
        add(
                "LambdaFunctionSucceeded",
                "Decide",
                "{" + decision + ",\"verdict\":{\"verdict\":\"" + verdict + "\",\"reason\":\""
                        + checkReason + "\",\"checks\":[{\"name\":\"" + checkName + "\",\"verdict\":\"" + verdict
                        + "\",\"reason\":\""
                        + checkReason + "\"}]}}");
        return exited("Decide", "decision", "{" + decision + "}");
    }

    public Histories failed(String error, String cause) {
        at = at.plusSeconds(1);
        events.add(new ExecutionEvent(events.size() + 1, at, "LambdaFunctionFailed", null, null, error, cause));
        return this;
    }

    private Histories add(String type, String state, String payload) {
        at = at.plusSeconds(1);
        events.add(new ExecutionEvent(events.size() + 1, at, type, state, payload, null, null));
        return this;
    }

    public List<ExecutionEvent> events() {
        return List.copyOf(events);
    }
}
