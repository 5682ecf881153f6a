package dev.tollgate.migrations;

import dev.tollgate.json.Nullable;
import java.time.Instant;

/**
 * A one-off ECS migration task as the state machine carries it between polls: which task, when it
 * must have stopped by, its last status, and once stopped its exit code and log stream.
 */
public record EcsTaskRun(
        String cluster,
        String taskArn,
        String taskDefinition,
        @Nullable String container,
        Instant startedAt,
        Instant deadline,
        @Nullable String lastStatus,
        @Nullable Integer exitCode,
        @Nullable String logStream) {}
