package dev.tollgate.migrations;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.secrets.EcsTaskDefinitionPins;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.TaskDefinitionPins;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MigrationSpec;
import dev.tollgate.spec.MigrationSpec.EcsMigrationTask;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Runs the release's own migration command as a one-off ECS task and follows it poll by poll
 * until it stops: exit code 0 succeeds, anything else fails with the exit code, the stop reason
 * and the log stream to read. The task definition's secrets that name a pinned secret are pinned
 * to its version (a derived revision), so ECS injects exactly the version FetchSecrets checked.
 * Safe to retry: the task is tagged {@code startedBy} the deployment and started with an
 * idempotency token derived from it, and a retried start adopts the task it finds. When the spec
 * publishes the release's Flyway scripts in {@code locations}, the compatibility guard checks the
 * pending ones before the task starts.
 */
public final class EcsTaskMigrationRunner implements MigrationRunner {

    private final EcsClient ecs;
    private final TaskDefinitionPins pins;
    private final FlywayMigrationRunner guard;
    private final Clock clock;
    private final int pollSeconds;

    /**
     * {@code guard} scans the release's Flyway scripts when the spec names {@code locations} (the
     * task's own tool applies them); may be null when no ECS_TASK spec names locations.
     */
    public EcsTaskMigrationRunner(EcsClient ecs, FlywayMigrationRunner guard, Clock clock, int pollSeconds) {
        this.ecs = ecs;
        this.pins = new EcsTaskDefinitionPins(ecs);
        this.guard = guard;
        this.clock = clock;
        this.pollSeconds = pollSeconds;
    }

    /** ECS allows letters, digits, '-', '_' and '/' (up to 128) in startedBy; deployment ids are at most 80 of the first three. */
    public static String startedBy(String deploymentId) {
        return "tollgate/" + deploymentId;
    }

    @Override
    public MigrationProgress start(DeploymentSpec spec, PinnedSecrets secrets) {
        MigrationSpec migrations = spec.migrations();
        EcsMigrationTask task = migrations.task();
        Instant now = clock.instant();
        try {
            TaskDefinition definition = ecs.describeTaskDefinition(
                            describe -> describe.taskDefinition(task.taskDefinition()))
                    .taskDefinition();
            String container = containerName(task, definition);
            Optional<Task> earlier = earlierAttempt(task.cluster(), spec.deploymentId());
            Task started;
            String definitionArn;
            if (earlier.isPresent()) {
                started = earlier.get();
                definitionArn = started.taskDefinitionArn();
            } else {
                checkPendingScripts(spec, secrets);
                definitionArn = pins.pin(definition.taskDefinitionArn(), secrets, spec.deploymentId())
                        .taskDefinitionArn();
                started = run(spec, task, container, definitionArn);
            }
            EcsTaskRun run = new EcsTaskRun(
                    task.cluster(),
                    started.taskArn(),
                    definitionArn,
                    container,
                    now,
                    now.plusSeconds(migrations.timeoutSeconds()),
                    started.lastStatus(),
                    null,
                    logStream(definition, container, started.taskArn()));
            return progress(
                    run,
                    false,
                    "migration task " + taskId(started.taskArn()) + " "
                            + started.lastStatus().toLowerCase(java.util.Locale.ROOT) + " on " + task.cluster()
                            + (earlier.isPresent() ? " (started by an earlier attempt)" : ""));
        } catch (SdkException failure) {
            throw AwsErrors.translate("starting the migration task", failure);
        }
    }

    @Override
    public MigrationProgress check(DeploymentSpec spec, PinnedSecrets secrets, MigrationProgress previous) {
        EcsTaskRun run = previous.task();
        if (run == null) {
            throw new MigrationTaskFailedException("no migration task to check: RunMigrations must start it first");
        }
        Task task;
        try {
            var described = ecs.describeTasks(
                    describe -> describe.cluster(run.cluster()).tasks(run.taskArn()));
            if (described.tasks().isEmpty()) {
                throw new MigrationTaskFailedException("migration task " + run.taskArn() + " is not known to ECS: "
                        + described.failures().stream().map(Failure::reason).toList());
            }
            task = described.tasks().get(0);
        } catch (SdkException failure) {
            throw AwsErrors.translate("ecs:DescribeTasks of the migration task", failure);
        }
        Instant now = clock.instant();
        long elapsedSeconds = Duration.between(run.startedAt(), now).getSeconds();
        if ("STOPPED".equals(task.lastStatus())) {
            Integer exitCode = task.containers().stream()
                    .filter(container -> run.container().equals(container.name()))
                    .findFirst()
                    .map(software.amazon.awssdk.services.ecs.model.Container::exitCode)
                    .orElse(null);
            EcsTaskRun stopped = new EcsTaskRun(
                    run.cluster(),
                    run.taskArn(),
                    run.taskDefinition(),
                    run.container(),
                    run.startedAt(),
                    run.deadline(),
                    task.lastStatus(),
                    exitCode,
                    run.logStream());
            if (exitCode != null && exitCode == 0) {
                return MigrationProgress.ecsTask(
                        true,
                        elapsedSeconds * 1000,
                        "migration task " + taskId(run.taskArn()) + " exited with code 0 after " + elapsedSeconds
                                + " s",
                        stopped,
                        pollSeconds);
            }
            throw new MigrationTaskFailedException(
                    "migration task " + taskId(run.taskArn()) + " (" + run.taskDefinition() + ", container "
                            + run.container() + ") "
                            + (exitCode == null ? "stopped without an exit code" : "exited with code " + exitCode)
                            + ": " + task.stopCodeAsString() + ", " + task.stoppedReason()
                            + (run.logStream() == null
                                    ? "; the task definition has no awslogs configuration"
                                    : "; logs: " + run.logStream()));
        }
        if (now.isAfter(run.deadline())) {
            try {
                ecs.stopTask(stop -> stop.cluster(run.cluster())
                        .task(run.taskArn())
                        .reason("Tollgate: migration exceeded "
                                + spec.migrations().timeoutSeconds() + " s"));
            } catch (SdkException failure) {
                throw AwsErrors.translate("ecs:StopTask of the timed-out migration task", failure);
            }
            throw new MigrationTaskFailedException(
                    "migration task " + taskId(run.taskArn()) + " still " + task.lastStatus() + " after "
                            + elapsedSeconds + " s (limit " + spec.migrations().timeoutSeconds() + " s); stopped it"
                            + (run.logStream() == null ? "" : "; logs: " + run.logStream()));
        }
        EcsTaskRun running = new EcsTaskRun(
                run.cluster(),
                run.taskArn(),
                run.taskDefinition(),
                run.container(),
                run.startedAt(),
                run.deadline(),
                task.lastStatus(),
                null,
                run.logStream());
        return progress(
                running,
                false,
                "migration task " + taskId(run.taskArn()) + " "
                        + task.lastStatus().toLowerCase(java.util.Locale.ROOT) + " for " + elapsedSeconds + " s");
    }

    /** The compatibility guard on the release's pending Flyway scripts, when the spec publishes them in {@code locations}. */
    private void checkPendingScripts(DeploymentSpec spec, PinnedSecrets secrets) {
        if (spec.migrations().locations().isEmpty()) {
            return;
        }
        if (guard == null) {
            throw new MigrationFailedException(
                    "this function cannot check migration scripts: it was built without Flyway");
        }
        guard.checkPending(spec, secrets);
    }

    private MigrationProgress progress(EcsTaskRun run, boolean done, String summary) {
        return MigrationProgress.ecsTask(done, 0, summary, run, pollSeconds);
    }

    private Optional<Task> earlierAttempt(String cluster, String deploymentId) {
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            arns.addAll(ecs.listTasks(list -> list.cluster(cluster)
                            .startedBy(startedBy(deploymentId))
                            .desiredStatus(status))
                    .taskArns());
        }
        if (arns.isEmpty()) {
            return Optional.empty();
        }
        return ecs.describeTasks(describe -> describe.cluster(cluster).tasks(arns.get(0))).tasks().stream()
                .findFirst();
    }

    private Task run(DeploymentSpec spec, EcsMigrationTask task, String container, String definitionArn) {
        // Same deployment, same token: ECS answers a repeated RunTask with the task it already started.
        String clientToken = UUID.nameUUIDFromBytes(
                        ("tollgate-migration:" + spec.deploymentId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        RunTaskResponse response = ecs.runTask(run -> {
            run.cluster(task.cluster())
                    .taskDefinition(definitionArn)
                    .count(1)
                    .launchType(task.launchType().name())
                    .startedBy(startedBy(spec.deploymentId()))
                    .clientToken(clientToken)
                    .tags(Tag.builder()
                            .key(EcsTaskDefinitionPins.DEPLOYMENT_TAG)
                            .value(spec.deploymentId())
                            .build())
                    .overrides(overrides -> overrides.containerOverrides(ContainerOverride.builder()
                            .name(container)
                            .command(task.command())
                            .build()));
            if (!task.subnets().isEmpty()) {
                run.networkConfiguration(network -> network.awsvpcConfiguration(vpc -> vpc.subnets(task.subnets())
                        .securityGroups(task.securityGroups().isEmpty() ? null : task.securityGroups())
                        .assignPublicIp(task.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)));
            }
        });
        if (response.tasks().isEmpty()) {
            throw new MigrationTaskFailedException("ECS did not start the migration task: "
                    + response.failures().stream()
                            .map(failure ->
                                    failure.reason() + (failure.detail() == null ? "" : " (" + failure.detail() + ")"))
                            .toList());
        }
        return response.tasks().get(0);
    }

    private static String containerName(EcsMigrationTask task, TaskDefinition definition) {
        if (task.container() != null) {
            if (definition.containerDefinitions().stream()
                    .noneMatch(container -> task.container().equals(container.name()))) {
                throw new MigrationTaskFailedException("task definition " + task.taskDefinition()
                        + " has no container '" + task.container() + "'; it has "
                        + definition.containerDefinitions().stream()
                                .map(ContainerDefinition::name)
                                .toList());
            }
            return task.container();
        }
        return definition.containerDefinitions().stream()
                .filter(container -> !Boolean.FALSE.equals(container.essential()))
                .findFirst()
                .or(() -> definition.containerDefinitions().stream().findFirst())
                .map(ContainerDefinition::name)
                .orElseThrow(() -> new MigrationTaskFailedException(
                        "task definition " + task.taskDefinition() + " has no container"));
    }

    private static String logStream(TaskDefinition definition, String container, String taskArn) {
        return definition.containerDefinitions().stream()
                .filter(candidate -> container.equals(candidate.name()))
                .findFirst()
                .map(ContainerDefinition::logConfiguration)
                .filter(logs -> logs != null && "awslogs".equals(logs.logDriverAsString()))
                .map(logs -> {
                    Map<String, String> options = logs.options();
                    String prefix = options.get("awslogs-stream-prefix");
                    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html:
                    // prefix/container/task-id
                    return options.get("awslogs-group") + " "
                            + (prefix == null ? taskId(taskArn) : prefix + "/" + container + "/" + taskId(taskArn));
                })
                .orElse(null);
    }

    private static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }
}
