package dev.tollgate.functions.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.functions.migrations.EmbeddedDatabase.Tenant;
import dev.tollgate.json.Json;
import dev.tollgate.migrations.AppliedMigration;
import dev.tollgate.migrations.CompatibilityGuard;
import dev.tollgate.migrations.DestructiveMigrationException;
import dev.tollgate.migrations.FlywayMigrationRunner;
import dev.tollgate.migrations.MigrationFailedException;
import dev.tollgate.migrations.MigrationProgress;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway mode on a real PostgreSQL (embedded), through the runner the function uses. */
class FlywayMigrationRunnerIT {

    private static EmbeddedDatabase postgres;

    @TempDir
    Path scripts;

    @TempDir
    Path scratch;

    private Tenant tenant;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = new EmbeddedDatabase();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void newDatabase() {
        tenant = postgres.newTenant();
    }

    @Test
    void appliesPendingMigrationsThenNothingOnARerun() throws IOException {
        write("V1__create_orders.sql", "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric NOT NULL);");
        write("V2__add_discount_code.sql", "-- expand only\nALTER TABLE orders ADD COLUMN discount_code text;\n");

        MigrationProgress first = runner().start(spec(false, false), tenant.pinned());

        assertTrue(first.done());
        assertEquals(
                List.of("1", "2"),
                first.applied().stream().map(AppliedMigration::version).toList());
        assertEquals(
                List.of("create orders", "add discount code"),
                first.applied().stream().map(AppliedMigration::description).toList());
        assertEquals("V2__add_discount_code.sql", first.applied().get(1).script());
        assertTrue(first.summary().contains("schema now at version 2"), first.summary());
        assertEquals(
                List.of("discount_code"),
                postgres.query(
                        tenant,
                        "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'discount_code'"));
        System.out.println("clean migrate of 2 scripts took " + first.durationMillis() + " ms");

        MigrationProgress rerun = runner().start(spec(false, false), tenant.pinned());

        assertEquals(List.of(), rerun.applied());
        assertTrue(rerun.summary().startsWith("applied 0 migration(s)"), rerun.summary());
        System.out.println("re-run applying nothing took " + rerun.durationMillis() + " ms");
    }

    @Test
    void dryRunListsPendingWithoutApplying() throws IOException {
        write("V1__create_orders.sql", "CREATE TABLE orders (id bigint);");

        MigrationProgress dryRun = runner().start(spec(false, true), tenant.pinned());

        assertTrue(dryRun.dryRun());
        assertEquals(List.of(), dryRun.applied());
        assertEquals(
                List.of("V1__create_orders.sql"),
                dryRun.pending().stream().map(AppliedMigration::script).toList());
        assertEquals(
                List.of(),
                postgres.query(tenant, "SELECT table_name FROM information_schema.tables WHERE table_name = 'orders'"));
    }

    @Test
    void aDryRunReportsWhatTheGuardWouldRefuseInsteadOfRefusingIt() throws IOException {
        write("V1__create_orders.sql", "CREATE TABLE orders (id bigint, note text);");
        runner().start(spec(false, false), tenant.pinned());
        write(
                "V2__contract.sql",
                "ALTER TABLE orders ADD COLUMN region text;\n\nALTER TABLE orders DROP COLUMN note;\n");

        MigrationProgress dryRun = runner().start(spec(false, true), tenant.pinned());

        assertTrue(dryRun.dryRun());
        assertEquals(
                List.of("2"),
                dryRun.pending().stream().map(AppliedMigration::version).toList());
        assertEquals(
                List.of("V2__contract.sql:3 `ALTER TABLE orders DROP COLUMN note`"),
                dryRun.destructive().stream()
                        .map(change -> change.script() + ":" + change.line() + " `" + change.statement() + "`")
                        .toList());
        assertTrue(dryRun.summary().contains("would apply 1 migration on " + tenant.name() + "@"), dryRun.summary());
        assertTrue(
                dryRun.summary()
                        .contains(
                                "2 contract (V2__contract.sql); the compatibility guard would refuse 1 destructive statement"),
                dryRun.summary());
        assertFalse(dryRun.summary().contains(tenant.password()));
        assertEquals(
                List.of("note"),
                postgres.query(
                        tenant,
                        "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' AND column_name IN ('note', 'region')"),
                "nothing applied");
    }

    @Test
    void refusesADestructiveScriptNamingFileLineAndReasonThenAcceptsItWhenAllowed() throws IOException {
        write("V1__create_orders.sql", "CREATE TABLE orders (id bigint, note text);");
        runner().start(spec(false, false), tenant.pinned());
        write(
                "V2__contract.sql",
                "ALTER TABLE orders ADD COLUMN region text;\n\nALTER TABLE orders DROP COLUMN note;\n");

        DestructiveMigrationException refused = assertThrows(
                DestructiveMigrationException.class, () -> runner().start(spec(false, false), tenant.pinned()));

        assertTrue(
                refused.getMessage().contains("V2__contract.sql:3 `ALTER TABLE orders DROP COLUMN note`: DROP COLUMN"),
                refused.getMessage());
        assertEquals(
                List.of("note"),
                postgres.query(
                        tenant,
                        "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' AND column_name IN ('note', 'region')"),
                "nothing applied, not even the safe statement before it");

        MigrationProgress allowed = runner().start(spec(true, false), tenant.pinned());

        assertEquals(
                List.of("2"),
                allowed.applied().stream().map(AppliedMigration::version).toList());
        assertTrue(allowed.summary().contains("1 destructive statement(s) allowed"), allowed.summary());
        assertEquals(
                List.of("region"),
                postgres.query(
                        tenant,
                        "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' AND column_name IN ('note', 'region')"));
    }

    @Test
    void aFailingScriptIsNamedAndNothingAfterItRuns() throws IOException {
        write("V1__create_orders.sql", "CREATE TABLE orders (id bigint);");
        write("V2__broken.sql", "ALTER TABLE no_such_table ADD COLUMN x int;");
        write("V3__after.sql", "CREATE TABLE after_broken (id bigint);");

        MigrationFailedException failed =
                assertThrows(MigrationFailedException.class, () -> runner().start(spec(false, false), tenant.pinned()));

        assertTrue(failed.getMessage().startsWith("migration 2 (broken, V2__broken.sql) failed"), failed.getMessage());
        assertFalse(failed.getMessage().contains(tenant.password()));
        assertEquals(
                List.of("1"),
                postgres.query(
                        tenant, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"));
        assertEquals(
                List.of(),
                postgres.query(
                        tenant, "SELECT table_name FROM information_schema.tables WHERE table_name = 'after_broken'"));
    }

    @Test
    void concurrentRunsAreSerialisedByFlywaysLock() throws Exception {
        write("V1__slow.sql", "SELECT pg_sleep(1);\nCREATE TABLE orders (id bigint);");
        write("V2__add_column.sql", "ALTER TABLE orders ADD COLUMN note text;");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<MigrationProgress>> runs = List.of(
                    () -> runner().start(spec(false, false), tenant.pinned()),
                    () -> runner().start(spec(false, false), tenant.pinned()));
            List<MigrationProgress> results = new ArrayList<>();
            for (Future<MigrationProgress> run : pool.invokeAll(runs)) {
                results.add(run.get());
            }
            assertEquals(
                    2,
                    results.stream().mapToInt(result -> result.applied().size()).sum(),
                    "each migration applied exactly once");
            assertEquals(
                    List.of("1", "2"),
                    postgres.query(tenant, "SELECT version FROM flyway_schema_history ORDER BY installed_rank"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recordsAppliedVersionsOnTheTimeline() throws IOException {
        write("V1__create_orders.sql", "CREATE TABLE orders (id bigint);");
        var store = new dev.tollgate.fakes.InMemoryDeploymentStore()
                .withRunningDeployment("checkout", "checkout-2026-11-24-v42");
        var service = new dev.tollgate.migrations.MigrationService(
                java.util.Map.of(dev.tollgate.spec.MigrationSpec.MigrationMode.FLYWAY, runner()),
                store,
                java.time.Clock.systemUTC());

        service.start(spec(false, false), tenant.pinned());
        List<TimelineEntry> timeline = store.timeline("checkout-2026-11-24-v42");

        assertEquals(1, timeline.size());
        assertTrue(timeline.get(0).message().endsWith("[1]"), timeline.get(0).message());
    }

    private FlywayMigrationRunner runner() {
        return new FlywayMigrationRunner(tenant.resolver(), null, new CompatibilityGuard(), scratch);
    }

    private void write(String name, String sql) throws IOException {
        Files.writeString(scripts.resolve(name), sql);
    }

    private DeploymentSpec spec(boolean allowDestructive, boolean dryRun) throws IOException {
        ObjectNode raw = (ObjectNode) Json.tree(Files.readString(Path.of("../../events/run-migrations-flyway.json")))
                .get("spec");
        raw.withArray("steps").forEach(step -> ((ObjectNode) step).remove("promotion"));
        raw.putArray("secrets")
                .addObject()
                .put("id", EmbeddedDatabase.SECRET_ID)
                .putArray("requiredKeys")
                .add("host")
                .add("username")
                .add("password");
        ObjectNode migrations = raw.putObject("migrations");
        migrations
                .put("mode", "FLYWAY")
                .put("secretId", EmbeddedDatabase.SECRET_ID)
                .put("allowDestructive", allowDestructive)
                .put("dryRun", dryRun)
                .putArray("locations")
                .add("filesystem:" + scripts);
        return new SpecValidator().validate(raw);
    }
}
