package dev.tollgate.spec;

import static dev.tollgate.spec.Violations.child;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.spec.MigrationSpec.EcsMigrationTask;
import dev.tollgate.spec.MigrationSpec.LaunchType;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@code $.migrations} (docs/migrations.md): which mode runs them, the pinned secret Flyway reads its
 * database from, the script locations, and the ECS task of a migration Tollgate starts but does not read.
 */
final class MigrationsValidation {

    static final int MAX_LOCATIONS = 10;
    /** The keys Flyway needs from an RDS-shaped secret; port and dbname default to 5432 and the user's name. */
    static final List<String> FLYWAY_SECRET_KEYS = List.of("host", "username", "password");

    private static final Pattern LOCATION = Pattern.compile(
            "s3:[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9!_.*'()/-]*)?|filesystem:/[^\\s]{0,1023}|classpath:[A-Za-z0-9_.][A-Za-z0-9_./-]{0,1023}");
    private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern COMMAND_PART = Pattern.compile("(?s).{1,4096}");
    private static final Set<String> FIELDS =
            Set.of("mode", "secretId", "locations", "allowDestructive", "dryRun", "task", "timeoutSeconds");
    private static final Set<String> ECS_TASK_FIELDS = Set.of(
            "cluster",
            "taskDefinition",
            "container",
            "command",
            "subnets",
            "securityGroups",
            "launchType",
            "assignPublicIp");

    private final Violations violations;

    MigrationsValidation(Violations violations) {
        this.violations = violations;
    }

    MigrationSpec migrations(JsonNode node, String path, List<SecretRef> secrets) {
        violations.onlyKnownFields(node, path, FIELDS);
        Optional<MigrationMode> mode = violations.enumValue(node, "mode", path, true, MigrationMode.class);
        Optional<String> secretId = violations.string(
                node, "secretId", path, false, SecretsValidation.SECRET_ID, "the id of one of $.secrets");
        List<String> locations = violations.stringList(
                node,
                "locations",
                path,
                0,
                MAX_LOCATIONS,
                LOCATION,
                "s3:bucket/prefix, filesystem:/absolute/path or classpath:path");
        boolean allowDestructive =
                violations.bool(node, "allowDestructive", path).orElse(false);
        boolean dryRun = violations.bool(node, "dryRun", path).orElse(false);
        int timeoutSeconds = violations
                .integer(node, "timeoutSeconds", path, false, 30, 7_200, "seconds")
                .map(Long::intValue)
                .orElse(MigrationSpec.DEFAULT_TIMEOUT_SECONDS);
        Optional<EcsMigrationTask> task = violations
                .object(node, "task", path, false)
                .flatMap(taskNode -> ecsTask(taskNode, child(path, "task")));
        if (mode.isEmpty()) {
            return MigrationSpec.NONE;
        }
        Optional<SecretRef> secret = secretId.flatMap(
                id -> secrets.stream().filter(ref -> ref.id().equals(id)).findFirst());
        if (secretId.isPresent() && secret.isEmpty()) {
            violations.add(
                    child(path, "secretId"),
                    "'" + secretId.get() + "' is not one of $.secrets[].id",
                    "the id of a secret listed in $.secrets, so its version is pinned before migrations run");
        }
        switch (mode.get()) {
            case NONE -> {
                for (String field : List.of("secretId", "task")) {
                    if (node.hasNonNull(field)) {
                        violations.add(
                                child(path, field),
                                "does not apply to mode NONE",
                                "FLYWAY or ECS_TASK to run migrations");
                    }
                }
                if (locations != null && !locations.isEmpty()) {
                    violations.add(
                            child(path, "locations"), "does not apply to mode NONE", "FLYWAY to run these scripts");
                }
                return MigrationSpec.NONE;
            }
            case FLYWAY -> {
                requireDatabaseSecret(node, path, "FLYWAY", secretId, secret);
                if (locations != null && locations.isEmpty()) {
                    violations.add(
                            child(path, "locations"),
                            "is required for FLYWAY",
                            "1 to " + MAX_LOCATIONS
                                    + " of s3:bucket/prefix, filesystem:/absolute/path or classpath:path");
                }
                if (node.hasNonNull("task")) {
                    violations.add(
                            child(path, "task"), "does not apply to mode FLYWAY", "ECS_TASK to run a migration task");
                }
            }
            case ECS_TASK -> {
                if (!node.hasNonNull("task")) {
                    violations.add(
                            child(path, "task"),
                            "is required for ECS_TASK",
                            "{\"cluster\", \"taskDefinition\", \"command\": [...], \"subnets\", \"securityGroups\", \"launchType\"}");
                }
                if (locations != null && !locations.isEmpty()) {
                    // The release publishes its Flyway scripts: the guard reads which are pending on the secret's
                    // database.
                    requireDatabaseSecret(node, path, "ECS_TASK with locations", secretId, secret);
                }
                if (dryRun) {
                    violations.add(
                            child(path, "dryRun"),
                            "is not possible for ECS_TASK: Tollgate cannot ask the task what it would do",
                            "false, or FLYWAY");
                }
            }
            default -> throw new IllegalStateException("unhandled migration mode " + mode.get());
        }
        return new MigrationSpec(
                mode.get(),
                secretId.orElse(null),
                locations == null ? List.of() : locations,
                allowDestructive,
                dryRun,
                task.orElse(null),
                timeoutSeconds);
    }

    /** The database Flyway reads: a pinned secret of RDS shape. */
    private void requireDatabaseSecret(
            JsonNode node, String path, String mode, Optional<String> secretId, Optional<SecretRef> secret) {
        if (secretId.isEmpty() && !node.hasNonNull("secretId")) {
            violations.add(
                    child(path, "secretId"),
                    "is required for " + mode,
                    "the id of the $.secrets entry holding the database's connection (RDS secret shape)");
        }
        secret.ifPresent(ref -> {
            List<String> missing = FLYWAY_SECRET_KEYS.stream()
                    .filter(key -> !ref.requiredKeys().contains(key))
                    .toList();
            if (!missing.isEmpty()) {
                violations.add(
                        child(path, "secretId"),
                        "the secret's requiredKeys lack " + String.join(", ", missing),
                        "requiredKeys including " + String.join(", ", FLYWAY_SECRET_KEYS) + " (RDS secret shape)");
            }
        });
    }

    private Optional<EcsMigrationTask> ecsTask(JsonNode node, String path) {
        violations.onlyKnownFields(node, path, ECS_TASK_FIELDS);
        Optional<String> cluster = violations.string(
                node, "cluster", path, true, TargetValidation.ECS_CLUSTER, "an ECS cluster name or ARN");
        Optional<String> taskDefinition = violations.string(
                node,
                "taskDefinition",
                path,
                true,
                TargetValidation.TASK_DEFINITION,
                "a task definition ARN or family:revision (a fixed revision, so a retry runs the same thing)");
        Optional<String> container = violations.string(
                node, "container", path, false, TargetValidation.ECS_NAME, "a container name of the task definition");
        List<String> command = violations.stringList(node, "command", path, 1, 50, COMMAND_PART, "1 to 50 arguments");
        if (command != null && command.isEmpty() && !node.has("command")) {
            violations.add(
                    child(path, "command"),
                    "is required",
                    "the migration command as an argument list, e.g. [\"./migrate\", \"up\"]");
            command = null;
        }
        List<String> subnets =
                violations.stringList(node, "subnets", path, 0, 16, SUBNET, "subnet ids (subnet-0123abcd...)");
        List<String> securityGroups = violations.stringList(
                node, "securityGroups", path, 0, 5, SECURITY_GROUP, "security group ids (sg-0123abcd...)");
        LaunchType launchType = violations
                .enumValue(node, "launchType", path, false, LaunchType.class)
                .orElse(LaunchType.FARGATE);
        boolean assignPublicIp = violations.bool(node, "assignPublicIp", path).orElse(false);
        if (launchType == LaunchType.FARGATE && subnets != null && subnets.isEmpty()) {
            violations.add(child(path, "subnets"), "is required for FARGATE (awsvpc networking)", "1 to 16 subnet ids");
            subnets = null;
        }
        if (cluster.isEmpty()
                || taskDefinition.isEmpty()
                || command == null
                || subnets == null
                || securityGroups == null
                || (node.hasNonNull("container") && container.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new EcsMigrationTask(
                cluster.get(),
                taskDefinition.get(),
                container.orElse(null),
                command,
                subnets,
                securityGroups,
                launchType,
                assignPublicIp));
    }
}
