package dev.tollgate.deployment;

import java.util.Optional;

/** Tells whether a state machine execution still runs: how a lock left by a crashed execution is recognised. */
public interface ExecutionStatuses {

    /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED; empty when the execution cannot be found. */
    Optional<String> status(String executionArn);
}
