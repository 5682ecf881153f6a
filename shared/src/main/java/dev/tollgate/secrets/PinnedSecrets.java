package dev.tollgate.secrets;

import java.util.List;
import java.util.Optional;

/** Every secret the release needs, pinned: FetchSecrets' output and RunMigrations' input. */
public record PinnedSecrets(List<PinnedSecret> secrets) {

    public static final PinnedSecrets NONE = new PinnedSecrets(List.of());

    public PinnedSecrets {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** The pinned version of the spec's secret {@code id}. */
    public Optional<PinnedSecret> find(String id) {
        return secrets.stream().filter(secret -> secret.id().equals(id)).findFirst();
    }
}
