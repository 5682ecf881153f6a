package dev.tollgate.spec;

import java.util.List;

/** How the release's schema changes are applied before any traffic moves. */
public record MigrationSpec(MigrationMode mode, String secretId, List<String> locations, boolean allowDestructive) {

    public static final MigrationSpec NONE = new MigrationSpec(MigrationMode.NONE, null, List.of(), false);

    public MigrationSpec {
        locations = locations == null ? List.of() : List.copyOf(locations);
    }

    public enum MigrationMode { NONE, FLYWAY, ECS_TASK }
}
