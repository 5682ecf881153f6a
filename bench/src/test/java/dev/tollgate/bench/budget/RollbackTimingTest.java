package dev.tollgate.bench.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.ops.ExecutionEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Time to rollback, from the first whole period after the shift to the rollback's return, in periods. */
class RollbackTimingTest {

    private static ExecutionEvent exited(long id, String state, String at, String output) {
        return new ExecutionEvent(id, Instant.parse(at), "TaskStateExited", state, output, null, null);
    }

    /** The Decide function's answer: the decision with the verdict it rests on. */
    private static ExecutionEvent decided(long id, String at, String verdict) {
        return new ExecutionEvent(
                id,
                Instant.parse(at),
                "LambdaFunctionSucceeded",
                "Decide",
                "{\"action\":\"CONTINUE_BAKING\",\"verdict\":{\"verdict\":\"" + verdict + "\"}}",
                null,
                null);
    }

    @Test
    void measuresFromTheFirstWholePeriodAfterTheShiftToTrafficBackOnTheOldVersion() {
        List<ExecutionEvent> history = List.of(
                exited(1, "ShiftTraffic", "2026-11-24T10:00:02.500Z", "{}"),
                decided(2, "2026-11-24T10:00:07.700Z", "INCONCLUSIVE"),
                decided(3, "2026-11-24T10:00:12.900Z", "FAIL"),
                exited(4, "RollBack", "2026-11-24T10:00:13.500Z", "{}"));

        RollbackTiming timing = RollbackTiming.of(history, 5).orElseThrow();

        assertEquals(
                Instant.parse("2026-11-24T10:00:05Z"),
                timing.firstRegressedPeriodStart(),
                "the partial period of the shift is left out");
        assertEquals(2, timing.ticksBeforeFailure());
        assertEquals(1.58, timing.periodsToFailingVerdict(), 1e-9);
        assertEquals(1.70, timing.periodsToRollback(), 1e-9);
        assertEquals(0.6, timing.secondsFromVerdictToRollback(), 1e-9);
    }

    @Test
    void aReleaseThatWasNeverRolledBackHasNoTiming() {
        List<ExecutionEvent> history = List.of(
                exited(1, "ShiftTraffic", "2026-11-24T10:00:02Z", "{}"), decided(2, "2026-11-24T10:00:07Z", "PASS"));

        assertTrue(RollbackTiming.of(history, 5).isEmpty());
    }
}
