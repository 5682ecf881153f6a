package dev.tollgate.migrations;

import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import java.util.function.Supplier;

/**
 * Applies a release's migrations, one backend per mode. {@link #start} either finishes the work
 * (Flyway, in the function) or starts it and returns a progress the state machine carries between
 * polls ({@code done} false); {@link #check} is one poll. A runner never sleeps: waiting is a Wait
 * state in the ASL.
 */
public interface MigrationRunner {

    MigrationProgress start(DeploymentSpec spec, PinnedSecrets secrets);

    MigrationProgress check(DeploymentSpec spec, PinnedSecrets secrets, MigrationProgress previous);

    /** A runner made on its first use (its clients built then): a function whose migrations take another runner never makes it. */
    static MigrationRunner onFirstUse(Supplier<? extends MigrationRunner> runner) {
        return new MigrationRunner() {
            @Override
            public MigrationProgress start(DeploymentSpec spec, PinnedSecrets secrets) {
                return runner.get().start(spec, secrets);
            }

            @Override
            public MigrationProgress check(DeploymentSpec spec, PinnedSecrets secrets, MigrationProgress previous) {
                return runner.get().check(spec, secrets, previous);
            }
        };
    }
}
