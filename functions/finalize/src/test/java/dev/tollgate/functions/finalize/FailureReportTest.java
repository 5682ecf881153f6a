package dev.tollgate.functions.finalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.functions.finalize.FinalizeHandler.Rollback;
import dev.tollgate.functions.finalize.FinalizeHandler.RollbackCause;
import org.junit.jupiter.api.Test;

class FailureReportTest {

    @Test
    void keepsOnlyTheMessageOfALambdaErrorDocument() {
        Rollback rollback = new Rollback(RollbackCause.FAILURE, "a task failed", "dev.tollgate.errors.AwsCallFailedException",
                "{\"errorMessage\":\"ECS UpdateService failed: AccessDeniedException (HTTP 400)\",\"errorType\":\"x\",\"stackTrace\":[]}");

        assertEquals("failed with AwsCallFailed: ECS UpdateService failed: AccessDeniedException (HTTP 400)", FailureReport.describe(rollback));
    }

    @Test
    void keepsAStatesErrorAsItCame() {
        Rollback rollback = new Rollback(RollbackCause.FAILURE, "a task failed", "States.Timeout", "Task timed out after 60 seconds");

        assertEquals("failed with Timeout: Task timed out after 60 seconds", FailureReport.describe(rollback));
    }

    @Test
    void saysSoWhenNothingIsKnown() {
        assertEquals("failed with an unknown error", FailureReport.describe(new Rollback(RollbackCause.FAILURE, null, null, null)));
    }
}
