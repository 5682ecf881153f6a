package dev.tollgate.migrations;

import dev.tollgate.secrets.PinnedSecret;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.SecretResolver;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MigrationSpec;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * Runs Flyway inside the function against the database of the pinned secret version: validate,
 * scan the pending scripts with the {@link CompatibilityGuard}, then migrate (or, in a dry run,
 * report what is pending and what the guard found, refusing and applying nothing). {@code clean} is disabled, and Flyway's own lock (a PostgreSQL advisory
 * lock) serialises concurrent runs. Messages are scrubbed of the password in case a driver quotes it.
 */
public final class FlywayMigrationRunner implements MigrationRunner {

    private static final int MAX_MESSAGE_CHARACTERS = 1_500;

    private final SecretResolver secrets;
    private final ScriptStore s3;
    private final CompatibilityGuard guard;
    private final Path scratch;

    /** {@code s3} may be null when no {@code s3:} location is to be served; {@code scratch} receives downloaded scripts. */
    public FlywayMigrationRunner(SecretResolver secrets, ScriptStore s3, CompatibilityGuard guard, Path scratch) {
        this.secrets = secrets;
        this.s3 = s3;
        this.guard = guard;
        this.scratch = scratch;
    }

    @Override
    public MigrationProgress start(DeploymentSpec spec, PinnedSecrets pinned) {
        MigrationSpec migrations = spec.migrations();
        long started = System.nanoTime();
        return withFlyway(spec, pinned, (flyway, database, locations) -> {
            ValidateResult validation = flyway.validateWithResult();
            if (!validation.validationSuccessful) {
                throw new MigrationFailedException("Flyway validation failed on " + database.describe() + ": "
                        + scrub(validation.getAllErrorMessages(), database));
            }
            MigrationInfo[] pending = flyway.info().pending();
            List<DestructiveChange> destructive = destructiveChanges(pending, locations);
            if (migrations.dryRun()) {
                // Nothing is refused here: the report says what the guard would refuse, and the deployment stops after
                // it.
                List<AppliedMigration> wouldApply =
                        Stream.of(pending).map(FlywayMigrationRunner::described).toList();
                return new MigrationProgress(
                        MigrationMode.FLYWAY,
                        true,
                        true,
                        List.of(),
                        wouldApply,
                        destructive,
                        millisSince(started),
                        MigrationReport.dryRun(
                                wouldApply, destructive, migrations.allowDestructive(), database.describe()),
                        null,
                        0);
            }
            String allowed = guard(destructive, migrations.allowDestructive());
            MigrateResult result = flyway.migrate();
            List<AppliedMigration> applied = result.migrations.stream()
                    .map(FlywayMigrationRunner::applied)
                    .toList();
            long millis = millisSince(started);
            return new MigrationProgress(
                    MigrationMode.FLYWAY,
                    true,
                    false,
                    applied,
                    List.of(),
                    destructive,
                    millis,
                    "applied " + applied.size() + " migration(s) on " + database.describe() + " in " + millis
                            + " ms, schema now at version "
                            + (result.targetSchemaVersion == null
                                    ? result.initialSchemaVersion
                                    : result.targetSchemaVersion)
                            + allowed,
                    null,
                    0);
        });
    }

    /**
     * The compatibility guard alone, for a migration another tool applies (an ECS task running
     * Flyway-named scripts): reads which scripts of {@code locations} are pending on the pinned
     * database, refuses destructive ones unless {@code allowDestructive}, applies nothing.
     * Returns the summary's note on allowed destructive statements (empty when none).
     */
    public String checkPending(DeploymentSpec spec, PinnedSecrets pinned) {
        return withFlyway(
                spec,
                pinned,
                (flyway, database, locations) -> guard(
                        destructiveChanges(flyway.info().pending(), locations),
                        spec.migrations().allowDestructive()));
    }

    /** Refuses {@code destructive} unless allowed; returns the summary's note on the ones allowed (empty when none). */
    private static String guard(List<DestructiveChange> destructive, boolean allowDestructive) {
        if (!destructive.isEmpty() && !allowDestructive) {
            throw new DestructiveMigrationException(destructive);
        }
        return destructive.isEmpty()
                ? ""
                : "; " + destructive.size() + " destructive statement(s) allowed by allowDestructive";
    }

    /** What one use of Flyway does, on the database of the pinned secret, with the locations made local. */
    private interface FlywayWork<T> {
        T run(Flyway flyway, DatabaseConnection database, List<String> locations);
    }

    /**
     * Connects Flyway to the pinned secret version's database with the spec's locations ({@code s3:}
     * ones downloaded first, and removed after), runs {@code work}, and turns Flyway's failures into
     * Tollgate errors scrubbed of the password.
     */
    private <T> T withFlyway(DeploymentSpec spec, PinnedSecrets pinned, FlywayWork<T> work) {
        MigrationSpec migrations = spec.migrations();
        PinnedSecret secret = pinned.find(migrations.secretId())
                .orElseThrow(() -> new MigrationFailedException("secret '" + migrations.secretId()
                        + "' was not pinned by FetchSecrets; it must be listed in $.secrets"));
        DatabaseConnection database =
                DatabaseConnection.fromSecret(secret, secrets.value(secret.arn(), secret.versionId()));
        Path downloads = null;
        try {
            downloads = Files.createDirectories(scratch).resolve(spec.deploymentId() + "-" + System.nanoTime());
            List<String> locations = localLocations(migrations.locations(), downloads);
            Flyway flyway = Flyway.configure(getClass().getClassLoader())
                    .dataSource(database.jdbcUrl(), database.username(), database.password())
                    .locations(locations.toArray(String[]::new))
                    .cleanDisabled(true)
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    // Pending scripts are what this release brings; validate the ones already applied.
                    .ignoreMigrationPatterns("*:pending")
                    .connectRetries(2)
                    .load();
            return work.run(flyway, database, locations);
        } catch (FlywayMigrateException failed) {
            MigrationInfo migration = failed.getMigration();
            String which = migration == null
                    ? "a migration"
                    : "migration " + migration.getVersion() + " (" + migration.getDescription() + ", "
                            + migration.getScript() + ")";
            throw new MigrationFailedException(which + " failed on " + database.describe()
                    + "; it and every later one were not applied: " + scrub(failed.getMessage(), database));
        } catch (FlywayException failed) {
            throw new MigrationFailedException(
                    "Flyway failed on " + database.describe() + ": " + scrub(failed.getMessage(), database));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(downloads);
        }
    }

    @Override
    public MigrationProgress check(DeploymentSpec spec, PinnedSecrets secrets, MigrationProgress previous) {
        return previous;
    }

    /** {@code s3:} locations become local copies; {@code filesystem:} and {@code classpath:} pass through. */
    private List<String> localLocations(List<String> locations, Path downloads) throws IOException {
        List<String> local = new ArrayList<>();
        for (int index = 0; index < locations.size(); index++) {
            String location = locations.get(index);
            if (!location.startsWith("s3:")) {
                local.add(location);
                continue;
            }
            if (s3 == null) {
                throw new MigrationFailedException(
                        "s3: locations need the S3 client, which this function was built without");
            }
            String path = location.substring("s3:".length());
            int slash = path.indexOf('/');
            String bucket = slash < 0 ? path : path.substring(0, slash);
            String prefix = slash < 0 ? "" : path.substring(slash + 1);
            Path directory = Files.createDirectories(downloads.resolve(Integer.toString(index)));
            // An empty prefix is nearly always a typo in the spec; Flyway's failOnMissingLocations does the same for
            // directories.
            if (s3.download(bucket, prefix, directory) == 0) {
                throw new MigrationFailedException(location + " holds no .sql scripts");
            }
            local.add("filesystem:" + directory);
        }
        return local;
    }

    /**
     * The guard's findings on the pending migrations. A migration whose SQL Tollgate cannot read (a
     * Java migration) is opaque to the guard, so it counts as destructive: allowDestructive lets it through.
     */
    private List<DestructiveChange> destructiveChanges(MigrationInfo[] pending, List<String> locations) {
        List<MigrationScript> scripts = new ArrayList<>();
        List<DestructiveChange> unchecked = new ArrayList<>();
        for (MigrationInfo migration : pending) {
            String sql = read(migration, locations);
            if (sql == null) {
                unchecked.add(new DestructiveChange(
                        migration.getScript(),
                        0,
                        migration.getType().name(),
                        "not an SQL script Tollgate can read, so the guard cannot check it"));
            } else {
                scripts.add(new MigrationScript(migration.getScript(), sql));
            }
        }
        List<DestructiveChange> changes = new ArrayList<>(guard.scan(scripts));
        changes.addAll(unchecked);
        return changes;
    }

    private static String read(MigrationInfo migration, List<String> locations) {
        if (!migration.getScript().endsWith(".sql")) {
            return null;
        }
        try {
            String physical = migration.getPhysicalLocation();
            if (physical != null && !physical.isEmpty() && Files.isRegularFile(Path.of(physical))) {
                return Files.readString(Path.of(physical), StandardCharsets.UTF_8);
            }
            for (String location : locations) {
                if (location.startsWith("classpath:")) {
                    String resource = location.substring("classpath:".length()).replaceAll("^/+|/+$", "") + "/"
                            + migration.getScript();
                    try (InputStream in =
                            FlywayMigrationRunner.class.getClassLoader().getResourceAsStream(resource)) {
                        if (in != null) {
                            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
        return null;
    }

    private static AppliedMigration described(MigrationInfo migration) {
        return new AppliedMigration(
                migration.getVersion() == null ? null : migration.getVersion().getVersion(),
                migration.getDescription(),
                migration.getScript(),
                0);
    }

    private static AppliedMigration applied(MigrateOutput output) {
        String file = output.filepath == null
                ? null
                : Path.of(output.filepath).getFileName().toString();
        return new AppliedMigration(
                output.version == null || output.version.isEmpty() ? null : output.version,
                output.description,
                file,
                output.executionTime);
    }

    private static String scrub(String message, DatabaseConnection database) {
        String text = message == null ? "" : message;
        if (!database.password().isEmpty()) {
            text = text.replace(database.password(), "****");
        }
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() <= MAX_MESSAGE_CHARACTERS ? text : text.substring(0, MAX_MESSAGE_CHARACTERS - 3) + "...";
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // /tmp is the function's own and is cleared with the container.
        }
    }
}
