package dev.tollgate.bench.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.ops.ExecutionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Transitions and invocations read from an execution's history, retries billed as transitions. */
class DeploymentLedgerTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private final List<ExecutionEvent> history = new ArrayList<>();

    private void event(String type, String state, long atMillis) {
        history.add(new ExecutionEvent(history.size() + 1, T0.plusMillis(atMillis), type, state, null, null, null));
    }

    @Test
    void countsEveryStateEnteredAndEveryRetryAsATransition() {
        event("TaskStateEntered", "ValidateRequest", 0);
        event("LambdaFunctionScheduled", null, 1);
        event("LambdaFunctionStarted", null, 2);
        event("LambdaFunctionSucceeded", null, 52);
        event("TaskStateExited", "ValidateRequest", 53);
        event("TaskStateEntered", "AcquireLock", 60);
        event("LambdaFunctionScheduled", null, 61);
        event("LambdaFunctionStarted", null, 62);
        event("LambdaFunctionFailed", null, 72);
        event("LambdaFunctionScheduled", null, 1072);
        event("LambdaFunctionStarted", null, 1073);
        event("LambdaFunctionSucceeded", null, 1103);
        event("TaskStateExited", "AcquireLock", 1104);
        event("WaitStateEntered", "Bake", 1110);
        event("WaitStateExited", "Bake", 6110);
        event("SucceedStateEntered", "Promoted", 6120);

        DeploymentLedger ledger = DeploymentLedger.of(history);

        assertEquals(
                Map.of("ValidateRequest", 1, "AcquireLock", 2, "Bake", 1, "Promoted", 1), ledger.transitionsByState());
        assertEquals(5, ledger.transitions());
        assertEquals(1, ledger.retries());
        assertEquals(Map.of("ValidateRequest", 1, "AcquireLock", 2), ledger.invocationsByState());
        assertEquals(List.of(10.0, 30.0), ledger.invocationMillisByState().get("AcquireLock"));
        assertEquals(List.of(50.0), ledger.invocationMillisByState().get("ValidateRequest"));
    }
}
