package dev.tollgate.migrations;

import dev.tollgate.json.Nullable;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.util.List;

/**
 * RunMigrations' output. {@code done} false means an ECS task is still running: the state machine
 * waits {@code pollSeconds} and asks again. {@code applied} lists what ran; in a dry run
 * {@code pending} lists what would run and {@code applied} stays empty. Never holds a secret value.
 */
public record MigrationProgress(MigrationMode mode, boolean done, boolean dryRun, List<AppliedMigration> applied,
                                List<AppliedMigration> pending, long durationMillis, @Nullable String summary, @Nullable EcsTaskRun task,
                                int pollSeconds) {

    public MigrationProgress {
        applied = applied == null ? List.of() : List.copyOf(applied);
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    public static MigrationProgress nothingToDo() {
        return new MigrationProgress(MigrationMode.NONE, true, false, List.of(), List.of(), 0, "no migrations", null, 0);
    }
}
