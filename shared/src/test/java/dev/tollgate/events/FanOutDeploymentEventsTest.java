package dev.tollgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.telemetry.Correlation;
import dev.tollgate.telemetry.InvocationContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanOutDeploymentEventsTest {

    private static final String EXECUTION =
            "arn:aws:states:eu-west-1:123456789012:execution:tollgate-deployment:checkout-v42";

    @Test
    void aSinkThatFailsDoesNotKeepTheFactFromTheOthersNorFailTheFunction() {
        List<DeploymentEvent> told = new ArrayList<>();
        DeploymentEvents events = DeploymentEvents.all(List.of(
                event -> {
                    throw new IllegalStateException("bus down");
                },
                told::add));

        InvocationContext.Scope invocation =
                InvocationContext.open(new Correlation("checkout-v42", "checkout", EXECUTION, "ShiftTraffic", 0, 0));
        try {
            events.publish(DeploymentEvent.stepShifted(
                    "checkout-v42", "checkout", Instant.parse("2026-11-24T11:00:00Z"), 0, 3, 10));
        } finally {
            invocation.close();
        }

        assertEquals(1, told.size());
        assertEquals(EXECUTION, told.get(0).executionArn(), "the execution comes from the invocation");
    }
}
