package dev.tollgate.functions.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.json.Json;
import dev.tollgate.migrations.AppliedMigration;
import dev.tollgate.migrations.EcsTaskRun;
import dev.tollgate.migrations.MigrationFailedException;
import dev.tollgate.migrations.MigrationProgress;
import dev.tollgate.migrations.MigrationRunner;
import dev.tollgate.migrations.MigrationService;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler on the sample events, with each mode's runner faked behind MigrationRunner. */
class RunMigrationsHandlerTest {

    private final List<String> calls = new ArrayList<>();
    /** Makes the fake Flyway runner apply for real although the spec asks for a dry run. */
    private boolean forgetDryRun;

    private final dev.tollgate.fakes.InMemoryDeploymentStore store = new dev.tollgate.fakes.InMemoryDeploymentStore()
            .withRunningDeployment("checkout", "checkout-2026-11-24-v42");

    private final MigrationRunner flyway = new MigrationRunner() {
        @Override
        public MigrationProgress start(DeploymentSpec spec, PinnedSecrets secrets) {
            calls.add("flyway start with "
                    + secrets.find(spec.migrations().secretId()).orElseThrow().versionId());
            AppliedMigration migration =
                    new AppliedMigration("2", "add discount code", "V2__add_discount_code.sql", 31);
            if (spec.migrations().dryRun() && !forgetDryRun) {
                return new MigrationProgress(
                        MigrationMode.FLYWAY,
                        true,
                        true,
                        List.of(),
                        List.of(migration),
                        List.of(),
                        40,
                        "would apply 1 migration on app@db:5432/checkout: 2 add discount code (V2__add_discount_code.sql)",
                        null,
                        0);
            }
            return new MigrationProgress(
                    MigrationMode.FLYWAY,
                    true,
                    false,
                    List.of(migration),
                    List.of(),
                    List.of(),
                    40,
                    "applied 1 migration(s)",
                    null,
                    0);
        }

        @Override
        public MigrationProgress check(DeploymentSpec spec, PinnedSecrets secrets, MigrationProgress previous) {
            throw new AssertionError("Flyway finishes in start");
        }
    };

    private final MigrationRunner ecsTask = new MigrationRunner() {
        @Override
        public MigrationProgress start(DeploymentSpec spec, PinnedSecrets secrets) {
            calls.add("ecs start " + spec.migrations().task().command());
            return progress(false, "RUNNING", null);
        }

        @Override
        public MigrationProgress check(DeploymentSpec spec, PinnedSecrets secrets, MigrationProgress previous) {
            calls.add("ecs check " + previous.task().taskArn());
            return progress(true, "STOPPED", 0);
        }
    };

    private final RunMigrationsHandler handler = new RunMigrationsHandler(new MigrationService(
            Map.of(MigrationMode.FLYWAY, flyway, MigrationMode.ECS_TASK, ecsTask), store, Clock.systemUTC()));

    private List<TimelineEntry> timeline() {
        return store.timeline("checkout-2026-11-24-v42");
    }

    @Test
    void flywayRunsToTheEndInOneCallWithThePinnedVersion() throws IOException {
        JsonNode output = invoke(event("run-migrations-flyway.json"));

        assertTrue(output.path("done").asBoolean());
        assertEquals(
                "V2__add_discount_code.sql",
                output.path("applied").get(0).path("script").asText());
        assertEquals(List.of("flyway start with a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"), calls);
        assertTrue(
                timeline().get(0).message().endsWith("[2]"), timeline().get(0).message());
    }

    @Test
    void anEcsTaskIsStartedThenPolledUntilItStops() throws IOException {
        ObjectNode start = event("run-migrations-ecs-task.json");

        JsonNode started = invoke(start);

        assertFalse(started.path("done").asBoolean());
        assertEquals(1, started.path("pollSeconds").asInt());
        ObjectNode check = start.deepCopy();
        check.put("action", "CHECK");
        check.set("migrations", started);

        JsonNode stopped = invoke(check);

        assertTrue(stopped.path("done").asBoolean());
        assertEquals(0, stopped.path("task").path("exitCode").asInt());
        assertEquals(
                List.of(
                        "ecs start [./bin/migrate, up]",
                        "ecs check arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef"),
                calls);
    }

    @Test
    void aDryRunIsMarkedSoAndItsReportGoesOnTheTimeline() throws IOException {
        ObjectNode event = event("run-migrations-flyway.json");
        ((ObjectNode) event.path("spec").path("migrations")).put("dryRun", true);

        JsonNode output = invoke(event);

        assertTrue(output.path("done").asBoolean());
        assertTrue(output.path("dryRun").asBoolean(), "what stops the state machine before DeployCanary");
        assertEquals(
                "V2__add_discount_code.sql",
                output.path("pending").get(0).path("script").asText());
        assertEquals(0, output.path("applied").size());
        assertEquals(
                "dry run: would apply 1 migration on app@db:5432/checkout: 2 add discount code (V2__add_discount_code.sql)",
                timeline().get(0).message());
    }

    @Test
    void aRunnerThatAppliedDuringADryRunFailsTheStepInsteadOfLettingTheReleaseGoOut() throws IOException {
        ObjectNode event = event("run-migrations-flyway.json");
        ((ObjectNode) event.path("spec").path("migrations")).put("dryRun", true);
        forgetDryRun = true;

        MigrationFailedException failed = assertThrows(MigrationFailedException.class, () -> invoke(event));

        assertTrue(failed.getMessage().contains("the spec asks for a dry run"), failed.getMessage());
    }

    @Test
    void modeNoneDoesNothing() throws IOException {
        ObjectNode event = event("run-migrations-flyway.json");
        ((ObjectNode) event.get("spec"))
                .set("migrations", Json.MAPPER.valueToTree(dev.tollgate.spec.MigrationSpec.NONE));

        JsonNode output = invoke(event);

        assertTrue(output.path("done").asBoolean());
        assertEquals(List.of(), calls);
        assertEquals(List.of(), timeline());
    }

    private static MigrationProgress progress(boolean done, String status, Integer exitCode) {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        return new MigrationProgress(
                MigrationMode.ECS_TASK,
                done,
                false,
                List.of(),
                List.of(),
                List.of(),
                0,
                "task " + status,
                new EcsTaskRun(
                        "prod",
                        "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef",
                        "checkout-migrate:42",
                        "migrate",
                        now,
                        now.plusSeconds(1200),
                        status,
                        exitCode,
                        null),
                1);
    }

    private static ObjectNode event(String name) throws IOException {
        return (ObjectNode) Json.tree(Files.readString(Path.of("../../events", name)));
    }

    private JsonNode invoke(JsonNode event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(
                new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), output, null);
        return Json.tree(output.toString(StandardCharsets.UTF_8));
    }
}
