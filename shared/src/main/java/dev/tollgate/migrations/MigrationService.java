package dev.tollgate.migrations;

import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs the release's migrations with the runner for its mode and writes what happened on the
 * deployment's timeline. It sits before DeployCanary: when it fails, no traffic has moved. A dry
 * run's progress always says {@code dryRun}, which is what stops the state machine before
 * DeployCanary.
 */
public final class MigrationService {

    private final Map<MigrationMode, MigrationRunner> runners;
    private final DeploymentStore store;
    private final Clock clock;

    public MigrationService(Map<MigrationMode, MigrationRunner> runners, DeploymentStore store, Clock clock) {
        this.runners = Map.copyOf(runners);
        this.store = store;
        this.clock = clock;
    }

    public MigrationProgress start(DeploymentSpec spec, PinnedSecrets secrets) {
        if (spec.migrations().mode() == MigrationMode.NONE) {
            return MigrationProgress.nothingToDo();
        }
        return recorded(spec, runner(spec).start(spec, secrets == null ? PinnedSecrets.NONE : secrets));
    }

    public MigrationProgress check(DeploymentSpec spec, PinnedSecrets secrets, MigrationProgress previous) {
        if (spec.migrations().mode() == MigrationMode.NONE || previous.done()) {
            return previous;
        }
        return recorded(spec, runner(spec).check(spec, secrets == null ? PinnedSecrets.NONE : secrets, previous));
    }

    private MigrationRunner runner(DeploymentSpec spec) {
        MigrationRunner runner = runners.get(spec.migrations().mode());
        if (runner == null) {
            throw new MigrationFailedException(
                    "this function has no runner for " + spec.migrations().mode() + " migrations");
        }
        return runner;
    }

    private MigrationProgress recorded(DeploymentSpec spec, MigrationProgress progress) {
        if (spec.migrations().dryRun() && !progress.dryRun()) {
            // Fail closed: only a progress marked dryRun stops the deployment before traffic, so a runner that lost the
            // flag must not pass.
            throw new MigrationFailedException("the spec asks for a dry run, but the "
                    + spec.migrations().mode() + " runner did not report one; nothing is deployed");
        }
        if (progress.done() && progress.dryRun()) {
            store.append(
                    spec.deploymentId(),
                    new TimelineEntry(
                            "migrations",
                            clock.instant(),
                            "RunMigrations",
                            "dry run: " + progress.summary(),
                            null,
                            0,
                            null));
        } else if (progress.done()) {
            String versions = progress.applied().stream()
                    .map(migration -> migration.version() == null ? migration.description() : migration.version())
                    .collect(Collectors.joining(", "));
            store.append(
                    spec.deploymentId(),
                    new TimelineEntry(
                            "migrations",
                            clock.instant(),
                            "RunMigrations",
                            progress.summary() + (versions.isEmpty() ? "" : " [" + versions + "]"),
                            null,
                            0,
                            null));
        }
        return progress;
    }
}
