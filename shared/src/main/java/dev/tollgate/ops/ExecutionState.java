package dev.tollgate.ops;

/** A Step Functions execution's status, as DescribeExecution reports it. */
public enum ExecutionState {
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    ABORTED,
    PENDING_REDRIVE;

    public boolean running() {
        return this == RUNNING || this == PENDING_REDRIVE;
    }
}
