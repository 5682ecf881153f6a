package dev.tollgate.ops;

import java.time.Instant;

/**
 * One execution of the deployment state machine: its status and, once it ended, its output (on
 * success) or error and cause (on failure). No AWS SDK type leaks past the adapter.
 */
public record ExecutionView(String executionArn, String name, ExecutionState state, Instant startedAt, Instant stoppedAt,
                            String output, String error, String cause) {
}
