package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.errors.AwsCallFailedException;
import dev.tollgate.json.Json;
import dev.tollgate.migrations.EcsTaskMigrationRunner;
import dev.tollgate.migrations.MigrationProgress;
import dev.tollgate.migrations.MigrationTaskFailedException;
import dev.tollgate.secrets.PinnedSecret;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Secret;

/**
 * ECS_TASK migrations on moto, through the runner the function uses, and the moto extensions they
 * rely on (moto_ext.ecs.extend_ecs_one_off_tasks): RunTask with awsvpc and no security groups,
 * clientToken idempotency, tasks that stop with an exit code, StopTask, EC2 without instances.
 */
class EcsMigrationTaskIT {

    private static LocalStack stack;
    private static EcsClient ecs;

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
        // The runner calls ECS as RunMigrationsFunction does, with its environment: its calls are that function's
        // (the calls log AwsCallsAllowedIT checks against the function's role).
        ecs = new AwsClients(stack.functionEnvironments().get("RunMigrationsFunction")).build(EcsClient.builder());
    }

    @AfterAll
    static void stop() {
        ecs.close();
    }

    /** A Fargate task definition for {@code service}'s migrations, optionally taking a secret as DATABASE. */
    static String registerMigrationTask(LocalStack stack, String service, String secretValueFrom) {
        try (EcsClient client = stack.ecs()) {
            if (client.describeClusters(describe -> describe.clusters(service + "-cluster"))
                    .clusters()
                    .isEmpty()) {
                client.createCluster(create -> create.clusterName(service + "-cluster"));
            }
            return client.registerTaskDefinition(register -> register.family(service + "-migrate")
                            .requiresCompatibilities(Compatibility.FARGATE)
                            .networkMode(NetworkMode.AWSVPC)
                            .cpu("256")
                            .memory("512")
                            .executionRoleArn("arn:aws:iam::123456789012:role/" + service + "-execution")
                            .containerDefinitions(migrateContainer(service, secretValueFrom)))
                    .taskDefinition()
                    .taskDefinitionArn();
        }
    }

    private static ContainerDefinition migrateContainer(String service, String secretValueFrom) {
        ContainerDefinition.Builder container = ContainerDefinition.builder()
                .name("migrate")
                .image("registry.example/" + service + ":v42")
                .essential(true)
                .command("./bin/migrate", "up")
                .logConfiguration(logs -> logs.logDriver(LogDriver.AWSLOGS)
                        .options(java.util.Map.of(
                                "awslogs-group",
                                "/ecs/" + service + "-migrate",
                                "awslogs-stream-prefix",
                                "migrate",
                                "awslogs-region",
                                LocalStack.REGION)));
        if (secretValueFrom != null) {
            container.secrets(Secret.builder()
                    .name("DATABASE_PASSWORD")
                    .valueFrom(secretValueFrom)
                    .build());
        }
        return container.build();
    }

    static String subnet(LocalStack stack) {
        try (var ec2 = stack.ec2()) {
            return ec2.describeSubnets().subnets().get(0).subnetId();
        }
    }

    @Test
    void runsTheCommandUntilItExitsZeroWithTheSecretPinnedToItsVersion() throws Exception {
        String service = Deployments.newService("ecsok");
        String secretArn;
        String versionId;
        try (var secrets = stack.secretsManager()) {
            var created =
                    secrets.createSecret(create -> create.name(service + "/db").secretString("{\"password\":\"x\"}"));
            secretArn = created.arn();
            versionId = created.versionId();
        }
        String definition = registerMigrationTask(stack, service, secretArn + ":password::");
        PinnedSecrets pinned = new PinnedSecrets(
                List.of(new PinnedSecret(service + "/db", service + "/db", secretArn, versionId, List.of("password"))));
        DeploymentSpec spec = spec(service, definition, List.of("./bin/migrate", "up"));
        EcsTaskMigrationRunner runner = new EcsTaskMigrationRunner(ecs, null, Clock.systemUTC(), 1);

        MigrationProgress started = runner.start(spec, pinned);

        assertFalse(started.done());
        assertEquals(1, started.pollSeconds());
        assertEquals("RUNNING", started.task().lastStatus());
        assertNotEquals(definition, started.task().taskDefinition(), "a derived revision pins the secret");
        var derived = ecs.describeTaskDefinition(
                        describe -> describe.taskDefinition(started.task().taskDefinition()))
                .taskDefinition();
        assertEquals(
                secretArn + ":password::" + versionId,
                derived.containerDefinitions().get(0).secrets().get(0).valueFrom());
        assertEquals(
                started.task().taskArn(),
                runner.start(spec, pinned).task().taskArn(),
                "a retried start adopts the running task");

        MigrationProgress progress = started;
        for (int poll = 0; poll < 20 && !progress.done(); poll++) {
            Thread.sleep(500);
            progress = runner.check(spec, pinned, progress);
        }

        assertTrue(progress.done(), progress.summary());
        assertEquals(0, progress.task().exitCode());
        assertEquals("STOPPED", progress.task().lastStatus());
        var task = ecs.describeTasks(describe -> describe.cluster(service + "-cluster")
                        .tasks(started.task().taskArn()))
                .tasks()
                .get(0);
        assertEquals("tollgate/" + spec.deploymentId(), task.startedBy());
        assertEquals(
                List.of("./bin/migrate", "up"),
                task.overrides().containerOverrides().get(0).command());
        assertEquals("EssentialContainerExited", task.stopCodeAsString());
    }

    @Test
    void aNonZeroExitFailsWithTheExitCodeAndTheLogStream() throws Exception {
        String service = Deployments.newService("ecsexit");
        DeploymentSpec spec =
                spec(service, registerMigrationTask(stack, service, null), List.of("sh", "-c", "exit 42"));
        EcsTaskMigrationRunner runner = new EcsTaskMigrationRunner(ecs, null, Clock.systemUTC(), 1);
        MigrationProgress started = runner.start(spec, PinnedSecrets.NONE);
        Thread.sleep(2_500);

        MigrationTaskFailedException failed =
                assertThrows(MigrationTaskFailedException.class, () -> runner.check(spec, PinnedSecrets.NONE, started));

        assertTrue(failed.getMessage().contains("exited with code 42: EssentialContainerExited"), failed.getMessage());
        String taskId =
                started.task().taskArn().substring(started.task().taskArn().lastIndexOf('/') + 1);
        assertTrue(
                failed.getMessage().endsWith("logs: /ecs/" + service + "-migrate migrate/migrate/" + taskId),
                failed.getMessage());
    }

    @Test
    void aTaskPastItsTimeoutIsStopped() throws Exception {
        String service = Deployments.newService("ecsslow");
        DeploymentSpec spec =
                spec(service, registerMigrationTask(stack, service, null), List.of("./bin/migrate", "up"));
        Clock late = Clock.offset(
                Clock.systemUTC(),
                java.time.Duration.ofSeconds(spec.migrations().timeoutSeconds() + 1));
        MigrationProgress started =
                new EcsTaskMigrationRunner(ecs, null, Clock.systemUTC(), 1).start(spec, PinnedSecrets.NONE);

        MigrationTaskFailedException failed = assertThrows(
                MigrationTaskFailedException.class,
                () -> new EcsTaskMigrationRunner(ecs, null, late, 1).check(spec, PinnedSecrets.NONE, started));

        assertTrue(failed.getMessage().contains("stopped it"), failed.getMessage());
        var task = ecs.describeTasks(describe -> describe.cluster(service + "-cluster")
                        .tasks(started.task().taskArn()))
                .tasks()
                .get(0);
        assertEquals("STOPPED", task.lastStatus());
        assertEquals("UserInitiated", task.stopCodeAsString());
    }

    @Test
    void theEc2LaunchTypeOnAClusterWithoutInstancesIsAClientError() throws Exception {
        String service = Deployments.newService("ecsec2");
        String definition = registerMigrationTask(stack, service, null);
        ObjectNode raw = rawSpec(service, definition, List.of("./bin/migrate"));
        ((ObjectNode) raw.get("migrations").get("task"))
                .put("launchType", "EC2")
                .remove("subnets");
        DeploymentSpec spec = new SpecValidator().validate(raw);

        AwsCallFailedException refused = assertThrows(
                AwsCallFailedException.class,
                () -> new EcsTaskMigrationRunner(ecs, null, Clock.systemUTC(), 1).start(spec, PinnedSecrets.NONE));

        assertTrue(refused.getMessage().contains("InvalidParameterException"), refused.getMessage());
    }

    private static DeploymentSpec spec(String service, String definition, List<String> command) throws IOException {
        return new SpecValidator().validate(rawSpec(service, definition, command));
    }

    /** events/run-migrations-ecs-task.json's spec, pointed at this test's cluster, task definition and command. */
    private static ObjectNode rawSpec(String service, String definition, List<String> command) throws IOException {
        ObjectNode event = (ObjectNode)
                Json.tree(Files.readString(RepositoryFiles.root().resolve("events/run-migrations-ecs-task.json")));
        ObjectNode spec = (ObjectNode) event.get("spec");
        spec.put("deploymentId", service + "-" + System.nanoTime());
        spec.remove("secrets");
        ObjectNode migrations = (ObjectNode) spec.get("migrations");
        migrations.remove("secretId");
        ObjectNode task = (ObjectNode) migrations.get("task");
        task.put("cluster", service + "-cluster")
                .put("taskDefinition", definition)
                .put("container", "migrate");
        task.putArray("command")
                .addAll(command.stream()
                        .map(part -> Json.MAPPER.getNodeFactory().textNode(part))
                        .toList());
        task.putArray("subnets").add(subnet(stack));
        task.remove("securityGroups");
        return spec;
    }
}
