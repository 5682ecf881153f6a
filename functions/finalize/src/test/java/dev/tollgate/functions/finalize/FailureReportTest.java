package dev.tollgate.functions.finalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.functions.finalize.FinalizeHandler.Rollback;
import dev.tollgate.functions.finalize.FinalizeHandler.RollbackCause;
import org.junit.jupiter.api.Test;

class FailureReportTest {

    @Test
    void keepsOnlyTheMessageOfALambdaErrorDocument() {
        Rollback rollback = new Rollback(
                RollbackCause.FAILURE,
                "a task failed",
                "DeployCanary",
                "dev.tollgate.errors.AwsCallFailedException",
                "{\"errorMessage\":\"ECS UpdateService failed: AccessDeniedException (HTTP 400)\",\"errorType\":\"x\",\"stackTrace\":[]}");

        assertEquals(
                "failed in DeployCanary with AwsCallFailed: ECS UpdateService failed: AccessDeniedException (HTTP 400)",
                FailureReport.describe(rollback));
    }

    @Test
    void namesTheStateWhoseCatchWroteTheFailure() {
        Rollback rollback = new Rollback(
                RollbackCause.FAILURE,
                "a task failed",
                null,
                null,
                null,
                java.util.Map.of(
                        "ShiftTraffic",
                        new FinalizeHandler.CaughtError("Sandbox.Timedout", "Task timed out after 60.00 seconds")));

        assertEquals(
                "failed in ShiftTraffic with Sandbox.Timedout: Task timed out after 60.00 seconds",
                FailureReport.describe(rollback));
    }

    @Test
    void keepsAStatesErrorAsItCame() {
        Rollback rollback = new Rollback(
                RollbackCause.FAILURE, "a task failed", null, "States.Timeout", "Task timed out after 60 seconds");

        assertEquals("failed with States.Timeout: Task timed out after 60 seconds", FailureReport.describe(rollback));
    }

    @Test
    void saysSoWhenNothingIsKnown() {
        assertEquals(
                "failed with an unknown error",
                FailureReport.describe(new Rollback(RollbackCause.FAILURE, null, null, null, null)));
    }
}
