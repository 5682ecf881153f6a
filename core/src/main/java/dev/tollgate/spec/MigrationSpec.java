package dev.tollgate.spec;

import java.util.List;

/**
 * How the release's schema changes are applied before any traffic moves. {@code FLYWAY} runs Flyway
 * inside the function against the database named by the pinned secret {@code secretId}, from
 * {@code locations}; {@code ECS_TASK} runs the release's own migration command as a one-off ECS
 * task. Destructive statements are refused unless {@code allowDestructive}; {@code dryRun} lists
 * the pending migrations without applying them. The rules are in {@code docs/migrations.md}.
 */
public record MigrationSpec(
        MigrationMode mode,
        String secretId,
        List<String> locations,
        boolean allowDestructive,
        boolean dryRun,
        EcsMigrationTask task,
        int timeoutSeconds) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 900;

    public static final MigrationSpec NONE =
            new MigrationSpec(MigrationMode.NONE, null, List.of(), false, false, null, DEFAULT_TIMEOUT_SECONDS);

    public MigrationSpec {
        locations = locations == null ? List.of() : List.copyOf(locations);
    }

    public enum MigrationMode {
        NONE,
        FLYWAY,
        ECS_TASK
    }

    /** Launch types a one-off migration task may use. */
    public enum LaunchType {
        FARGATE,
        EC2
    }

    /**
     * The one-off ECS task that runs the release's migration command: the task definition's
     * {@code container} (its only or first essential container when absent) runs {@code command}.
     */
    public record EcsMigrationTask(
            String cluster,
            String taskDefinition,
            String container,
            List<String> command,
            List<String> subnets,
            List<String> securityGroups,
            LaunchType launchType,
            boolean assignPublicIp) {

        public EcsMigrationTask {
            command = command == null ? List.of() : List.copyOf(command);
            subnets = subnets == null ? List.of() : List.copyOf(subnets);
            securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
        }
    }
}
