package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.local.Deployments.Finished;
import dev.tollgate.traffic.TrafficWeights;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A migration that fails stops the deployment before any traffic moves: the state machine takes
 * the rollback path, the listener keeps 100 % on the live version, the canary is never deployed,
 * the record names the failing migration and the lock is released.
 */
class MigrationDeploymentIT {

    private static LocalStack stack;
    private static Deployments deployments;

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
        deployments = new Deployments(stack);
    }

    @Test
    void aFailingFlywayScriptFailsTheDeploymentWithWeightsUntouched() throws InterruptedException {
        String service = Deployments.newService("flyfail");
        EcsAlbFixture fixture = deployments.fixture(service);
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put("V1__create_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        scripts.put("V2__broken.sql", "ALTER TABLE no_such_table ADD COLUMN discount_code text;");
        ReleaseDatabase release = ReleaseDatabase.create(stack, service, EcsAlbFixture.RELEASE_VERSION, scripts);
        ObjectNode spec = DemoSpecs.withMigrations(deployments.spec(fixture), release, false);

        Finished finished = deployments.run(spec, Duration.ofMinutes(2));

        assertEquals("FAILED", finished.outcome().status(), finished.outcome().toString());
        assertTrue(
                finished.outcome().reason().contains("MigrationFailed: migration 2 (broken, V2__broken.sql) failed"),
                finished.outcome().reason());
        assertFailedBeforeTraffic(fixture, finished);
        assertEquals(
                List.of("1"),
                stack.database()
                        .query(
                                release.credentials().dbname(),
                                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"));
    }

    @Test
    void aDestructiveScriptIsRefusedBeforeAnythingIsApplied() throws InterruptedException {
        String service = Deployments.newService("flydrop");
        EcsAlbFixture fixture = deployments.fixture(service);
        ReleaseDatabase release = ReleaseDatabase.create(
                stack,
                service,
                EcsAlbFixture.RELEASE_VERSION,
                Map.of("V2__drop_note.sql", "-- contract\nALTER TABLE orders DROP COLUMN note;\n"));
        // The table an earlier release created, and the live version still reads.
        stack.database()
                .execute(release.credentials().dbname(), "CREATE TABLE orders (id bigint PRIMARY KEY, note text)");
        ObjectNode spec = DemoSpecs.withMigrations(deployments.spec(fixture), release, false);

        Finished finished = deployments.run(spec, Duration.ofMinutes(2));

        assertEquals("FAILED", finished.outcome().status(), finished.outcome().toString());
        assertTrue(
                finished.outcome().reason().contains("DestructiveMigration: refused 1 destructive statement"),
                finished.outcome().reason());
        assertTrue(
                finished.outcome().reason().contains("V2__drop_note.sql:2 `ALTER TABLE orders DROP COLUMN note`"),
                finished.outcome().reason());
        assertFailedBeforeTraffic(fixture, finished);
        assertEquals(
                List.of("note"),
                stack.database()
                        .query(
                                release.credentials().dbname(),
                                "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'"),
                "nothing applied");
    }

    @Test
    void aDryRunListsThePendingMigrationsAndEndsWithNothingDeployed() throws InterruptedException {
        DryRun dryRun =
                dryRun("flydry", "V2__add_discount_code.sql", "ALTER TABLE orders ADD COLUMN discount_code text;");

        String reason = dryRun.finished().outcome().reason();
        assertTrue(
                reason.contains(
                        "1 create orders (V1__create_orders.sql), 2 add discount code (V2__add_discount_code.sql)"),
                reason);
        assertTrue(reason.endsWith("; the compatibility guard found no destructive statement"), reason);
    }

    @Test
    void aDryRunReportsTheDestructiveStatementsTheGuardWouldRefuse() throws InterruptedException {
        DryRun dryRun = dryRun("flydrydrop", "V2__drop_legacy_note.sql", "ALTER TABLE legacy DROP COLUMN note;");

        String reason = dryRun.finished().outcome().reason();
        assertTrue(reason.contains("2 drop legacy note (V2__drop_legacy_note.sql)"), reason);
        assertTrue(
                reason.contains(
                        "the compatibility guard would refuse 1 destructive statement (allowDestructive is false): "
                                + "V2__drop_legacy_note.sql:1 `ALTER TABLE legacy DROP COLUMN note`"),
                reason);
        assertEquals(
                List.of("note"),
                stack.database()
                        .query(
                                dryRun.release().credentials().dbname(),
                                "SELECT column_name FROM information_schema.columns WHERE table_name = 'legacy' AND column_name = 'note'"));
    }

    private record DryRun(Finished finished, ReleaseDatabase release) {}

    /**
     * Runs a FLYWAY dry run of two scripts ({@code V1__create_orders.sql}, then {@code script}) on a
     * database holding a table an earlier release created, and checks what every dry run must end
     * with: outcome DRY_RUN listing both, the schema unchanged, the new version never deployed and
     * the traffic on the live version throughout, the record and the event bus saying so, the lock released.
     */
    private static DryRun dryRun(String prefix, String script, String sql) throws InterruptedException {
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put("V1__create_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        scripts.put(script, sql);
        String service = Deployments.newService(prefix);
        EcsAlbFixture fixture = deployments.fixture(service);
        ReleaseDatabase release = ReleaseDatabase.create(stack, service, EcsAlbFixture.RELEASE_VERSION, scripts);
        stack.database()
                .execute(release.credentials().dbname(), "CREATE TABLE legacy (id bigint PRIMARY KEY, note text)");
        ObjectNode spec = DemoSpecs.withMigrations(deployments.spec(fixture), release, false);
        ((ObjectNode) spec.get("migrations")).put("dryRun", true);
        BusSubscription bus = BusSubscription.toService(stack, service);
        List<TrafficWeights> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                seen.add(deployments.weights(fixture));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        });
        watcher.start();
        Finished finished;
        try {
            finished = deployments.run(spec, Duration.ofMinutes(2));
        } finally {
            watcher.interrupt();
            watcher.join();
        }

        String reason = finished.outcome().reason();
        assertEquals("DRY_RUN", finished.outcome().status(), finished.outcome().toString());
        assertTrue(
                reason.startsWith("dry run: nothing deployed, no traffic moved; would apply 2 migrations on "), reason);
        assertEquals(
                List.of(),
                stack.database()
                        .query(
                                release.credentials().dbname(),
                                "SELECT table_name FROM information_schema.tables WHERE table_name IN ('orders', 'flyway_schema_history')"),
                "the schema is unchanged");
        assertFalse(seen.isEmpty());
        assertTrue(
                seen.stream().allMatch(TrafficWeights.canaryAt(0)::equals),
                "all traffic on the live version throughout: " + seen);
        assertEquals(TrafficWeights.canaryAt(0), deployments.weights(fixture));
        assertEquals(
                fixture.liveTaskDefinition(),
                deployments.greenTaskDefinition(fixture),
                "the new version was never deployed");
        for (String state : List.of("DeployCanary", "ShiftTraffic", "RollBack")) {
            assertTrue(
                    finished.history().stream()
                            .noneMatch(event -> event.stateEnteredEventDetails() != null
                                    && state.equals(
                                            event.stateEnteredEventDetails().name())),
                    state + " never ran");
        }
        DeploymentRecord record = deployments.record(finished.deploymentId()).orElseThrow();
        assertEquals(DeploymentStatus.DRY_RUN, record.status());
        assertEquals(reason, record.reason());
        assertTrue(
                record.timeline().stream()
                        .anyMatch(entry -> "RunMigrations".equals(entry.state())
                                && entry.message().contains("V2__")),
                record.timeline().toString());
        assertTrue(deployments.lockHolder(fixture.service()).isEmpty(), "the lock is released");
        List<JsonNode> events = bus.eventsThrough("Deployment Dry Run");
        JsonNode outcome = events.get(events.size() - 1);
        assertEquals("Deployment Dry Run", outcome.path("detail-type").asText(), events.toString());
        assertEquals("DRY_RUN", outcome.path("detail").path("status").asText(), events.toString());
        assertEquals(reason, outcome.path("detail").path("reason").asText());
        assertEquals(0, outcome.path("detail").path("canaryWeight").asInt(-1));
        assertTrue(
                events.stream()
                        .noneMatch(event -> event.path("detail-type").asText().startsWith("Deployment Step")),
                events.toString());
        return new DryRun(finished, release);
    }

    @Test
    void anEcsMigrationTaskThatExitsNonZeroIsPolledThenFailsTheDeployment() throws InterruptedException {
        String service = Deployments.newService("ecsfail");
        EcsAlbFixture fixture = deployments.fixture(service);
        String migrateDefinition = EcsMigrationTaskIT.registerMigrationTask(stack, service, null);
        ObjectNode spec = deployments.spec(fixture);
        ObjectNode task = spec.putObject("migrations").put("mode", "ECS_TASK").putObject("task");
        task.put("cluster", fixture.cluster())
                .put("taskDefinition", migrateDefinition)
                .put("container", "migrate");
        task.putArray("command").add("sh").add("-c").add("exit 3");
        task.putArray("subnets").add(EcsMigrationTaskIT.subnet(stack));

        Finished finished = deployments.run(spec, Duration.ofMinutes(2));

        assertEquals("FAILED", finished.outcome().status(), finished.outcome().toString());
        assertTrue(
                finished.outcome().reason().contains("MigrationTaskFailed: migration task"),
                finished.outcome().reason());
        assertTrue(
                finished.outcome().reason().contains("exited with code 3"),
                finished.outcome().reason());
        assertTrue(
                finished.outcome().reason().contains("logs: /ecs/" + service + "-migrate migrate/migrate/"),
                finished.outcome().reason());
        long polls = finished.history().stream()
                .filter(event -> event.stateEnteredEventDetails() != null
                        && "CheckMigrationTask"
                                .equals(event.stateEnteredEventDetails().name()))
                .count();
        assertTrue(polls >= 1, "the task was polled by the Wait/Choice loop, " + polls + " times");
        assertFailedBeforeTraffic(fixture, finished);
        try (EcsClient ecs = stack.ecs()) {
            assertEquals(
                    1,
                    ecs.listTasks(list -> list.cluster(fixture.cluster())
                                    .startedBy("tollgate/" + finished.deploymentId())
                                    .desiredStatus("STOPPED"))
                            .taskArns()
                            .size(),
                    "one task, however many attempts");
        }
    }

    @Test
    void anEcsTaskWhosePublishedScriptsAreDestructiveIsNeverStarted() throws InterruptedException {
        String service = Deployments.newService("ecsdrop");
        EcsAlbFixture fixture = deployments.fixture(service);
        ReleaseDatabase release = ReleaseDatabase.create(
                stack,
                service,
                EcsAlbFixture.RELEASE_VERSION,
                Map.of("V2__rename_note.sql", "ALTER TABLE orders RENAME COLUMN note TO remark;"));
        stack.database()
                .execute(release.credentials().dbname(), "CREATE TABLE orders (id bigint PRIMARY KEY, note text)");
        String migrateDefinition = EcsMigrationTaskIT.registerMigrationTask(stack, service, null);
        ObjectNode spec = DemoSpecs.withMigrations(deployments.spec(fixture), release, false);
        ObjectNode migrations =
                spec.putObject("migrations").put("mode", "ECS_TASK").put("secretId", release.secretId());
        migrations.putArray("locations").add(release.location());
        ObjectNode task = migrations.putObject("task");
        task.put("cluster", fixture.cluster()).put("taskDefinition", migrateDefinition);
        task.putArray("command").add("flyway").add("migrate");
        task.putArray("subnets").add(EcsMigrationTaskIT.subnet(stack));

        Finished finished = deployments.run(spec, Duration.ofMinutes(2));

        assertEquals("FAILED", finished.outcome().status(), finished.outcome().toString());
        assertTrue(
                finished.outcome()
                        .reason()
                        .contains("V2__rename_note.sql:1 `ALTER TABLE orders RENAME COLUMN note TO remark`: RENAME"),
                finished.outcome().reason());
        assertFailedBeforeTraffic(fixture, finished);
        try (EcsClient ecs = stack.ecs()) {
            for (String status : List.of("RUNNING", "STOPPED")) {
                assertEquals(
                        List.of(),
                        ecs.listTasks(list -> list.cluster(fixture.cluster())
                                        .startedBy("tollgate/" + finished.deploymentId())
                                        .desiredStatus(status))
                                .taskArns(),
                        "no migration task was started");
            }
        }
    }

    private static void assertFailedBeforeTraffic(EcsAlbFixture fixture, Finished finished) {
        assertEquals(TrafficWeights.canaryAt(0), deployments.weights(fixture), "all traffic stays on the live version");
        assertEquals(
                fixture.liveTaskDefinition(),
                deployments.greenTaskDefinition(fixture),
                "the canary was never deployed");
        DeploymentRecord record = deployments.record(finished.deploymentId()).orElseThrow();
        assertEquals(DeploymentStatus.FAILED, record.status());
        assertEquals(finished.outcome().reason(), record.reason());
        assertTrue(deployments.lockHolder(fixture.service()).isEmpty(), "the lock is released");
        assertTrue(
                finished.history().stream()
                        .noneMatch(event -> event.stateEnteredEventDetails() != null
                                && "DeployCanary"
                                        .equals(event.stateEnteredEventDetails().name())),
                "DeployCanary never ran");
    }
}
