package dev.tollgate.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelationTest {

    private static final String EXECUTION =
            "arn:aws:states:eu-west-1:123456789012:execution:tollgate-deployment:checkout-v42";

    @Test
    void aTaskEventGivesItsDeploymentServiceExecutionStateAndStep() {
        Correlation correlation = Correlation.of(Json.tree("""
                {"execution": {"arn": "%s", "state": "Decide", "retryCount": 2},
                 "spec": {"deploymentId": "checkout-v42", "service": "checkout"},
                 "progress": {"stepIndex": 1, "canaryWeight": 50}}""".formatted(EXECUTION)));

        assertEquals(new Correlation("checkout-v42", "checkout", EXECUTION, "Decide", 1, 2), correlation);
        assertEquals(
                Map.of(
                        "deploymentId",
                        "checkout-v42",
                        "service",
                        "checkout",
                        "executionArn",
                        EXECUTION,
                        "state",
                        "Decide",
                        "stepIndex",
                        "1",
                        "retryCount",
                        "2"),
                correlation.logKeys());
    }

    @Test
    void eventsWithoutASpecGiveTheirTopLevelIds() {
        assertEquals(
                new Correlation("checkout-v42", "checkout", EXECUTION, null, null, null),
                Correlation.of(Json.tree("""
                {"action": "ACQUIRE", "deploymentId": "checkout-v42", "service": "checkout", "executionArn": "%s"}""".formatted(EXECUTION))));
        assertEquals(new Correlation("checkout-v42", null, null, null, 2, null), Correlation.of(Json.tree("""
                {"deploymentId": "checkout-v42", "nextStepIndex": 2, "taskToken": "t"}""")));
    }

    @Test
    void anythingElseGivesNoKeysRatherThanFailing() {
        assertEquals(Correlation.NONE, Correlation.of(Json.tree("[1, 2]")));
        assertEquals(
                Correlation.NONE,
                Correlation.of(Json.tree("{\"spec\": 7, \"deploymentId\": {\"a\": 1}, \"stepIndex\": \"x\"}")));
        assertEquals(Map.of(), Correlation.NONE.logKeys());
    }
}
