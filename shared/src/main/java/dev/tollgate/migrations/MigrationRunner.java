package dev.tollgate.migrations;

import dev.tollgate.aws.Placed;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;

/**
 * Applies a release's migrations, one backend per mode. {@link #start} either finishes the work
 * (Flyway, in the function) or starts it and returns a progress the state machine carries between
 * polls ({@code done} false); {@link #check} is one poll. A runner never sleeps: waiting is a Wait
 * state in the ASL.
 */
public interface MigrationRunner {

    MigrationProgress start(DeploymentSpec spec, PinnedSecrets secrets);

    MigrationProgress check(DeploymentSpec spec, PinnedSecrets secrets, MigrationProgress previous);

    /** The runner for each deployment's target, made when asked (its clients are kept by {@code Placed}'s source). */
    static MigrationRunner placed(Placed<? extends MigrationRunner> runners) {
        return new MigrationRunner() {
            @Override
            public MigrationProgress start(DeploymentSpec spec, PinnedSecrets secrets) {
                return runners.at(spec).start(spec, secrets);
            }

            @Override
            public MigrationProgress check(DeploymentSpec spec, PinnedSecrets secrets, MigrationProgress previous) {
                return runners.at(spec).check(spec, secrets, previous);
            }
        };
    }
}
