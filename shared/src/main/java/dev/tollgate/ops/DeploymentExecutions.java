package dev.tollgate.ops;

import java.util.List;
import java.util.Optional;

/** The deployment state machine's executions: start one by name, and read how one stands and what happened. */
public interface DeploymentExecutions {

    /**
     * Starts an execution named {@code name}. Idempotent: when an execution of that name exists,
     * answers it instead of starting a second one.
     */
    StartedExecution start(String name, String input);

    /** The ARN an execution named {@code name} has (or would have). */
    String executionArn(String name);

    Optional<ExecutionView> describe(String executionArn);

    /** Every event of the execution's history, oldest first. */
    List<ExecutionEvent> history(String executionArn);
}
