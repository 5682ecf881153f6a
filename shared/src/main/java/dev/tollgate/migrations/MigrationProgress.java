package dev.tollgate.migrations;

import dev.tollgate.json.Nullable;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.util.List;

/**
 * RunMigrations' output. {@code done} false means an ECS task is still running: the state machine
 * waits {@code pollSeconds} and asks again. {@code applied} lists what ran; in a dry run
 * {@code pending} lists what would run, {@code applied} stays empty and the state machine stops
 * the deployment ({@code RecordDryRun}) instead of deploying. {@code destructive} is what the
 * compatibility guard found in the pending scripts: let through by {@code allowDestructive} in a
 * real run, what a real run would refuse (or let through) in a dry run. Never holds a secret value.
 */
public record MigrationProgress(
        MigrationMode mode,
        boolean done,
        boolean dryRun,
        List<AppliedMigration> applied,
        List<AppliedMigration> pending,
        List<DestructiveChange> destructive,
        long durationMillis,
        @Nullable String summary,
        @Nullable EcsTaskRun task,
        int pollSeconds) {

    public MigrationProgress {
        applied = applied == null ? List.of() : List.copyOf(applied);
        pending = pending == null ? List.of() : List.copyOf(pending);
        destructive = destructive == null ? List.of() : List.copyOf(destructive);
    }

    public static MigrationProgress nothingToDo() {
        return new MigrationProgress(
                MigrationMode.NONE, true, false, List.of(), List.of(), List.of(), 0, "no migrations", null, 0);
    }

    /** An ECS migration task's progress: nothing listed, the task's state in {@code task} and {@code summary}. */
    static MigrationProgress ecsTask(
            boolean done, long durationMillis, String summary, EcsTaskRun task, int pollSeconds) {
        return new MigrationProgress(
                MigrationMode.ECS_TASK,
                done,
                false,
                List.of(),
                List.of(),
                List.of(),
                durationMillis,
                summary,
                task,
                pollSeconds);
    }
}
