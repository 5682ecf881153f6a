package dev.tollgate.migrations;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a dry run found, in one line an operator reads on the record, in {@code tollgate status},
 * the pipeline's failure message and the event bus: each pending migration (version, description,
 * script) and what the compatibility guard found. Long lists are cut after {@link #MAX_LISTED}
 * entries; RunMigrations' output in the execution history keeps them all.
 */
public final class MigrationReport {

    /** Entries named per list; the line stays readable and within Step Functions' 32,768-character cause. */
    static final int MAX_LISTED = 20;

    private MigrationReport() {}

    /**
     * {@code would apply 2 migrations on app@db:5432/checkout: 1 create orders (V1__create_orders.sql), ...;
     * the compatibility guard would refuse 1 destructive statement (allowDestructive is false): ...}
     */
    public static String dryRun(
            List<AppliedMigration> pending,
            List<DestructiveChange> destructive,
            boolean allowDestructive,
            String database) {
        StringBuilder line = new StringBuilder("would apply ")
                .append(count(pending.size(), "migration"))
                .append(" on ")
                .append(database);
        line.append(
                pending.isEmpty()
                        ? " (the schema is up to date)"
                        : ": " + listed(pending, MigrationReport::describe, ", "));
        if (destructive.isEmpty()) {
            line.append("; the compatibility guard found no destructive statement");
        } else if (allowDestructive) {
            line.append("; the compatibility guard found ")
                    .append(count(destructive.size(), "destructive statement"))
                    .append(", which allowDestructive lets through: ")
                    .append(listed(destructive, DestructiveChange::toString, "; "));
        } else {
            line.append("; the compatibility guard would refuse ")
                    .append(count(destructive.size(), "destructive statement"))
                    .append(" (allowDestructive is false): ")
                    .append(listed(destructive, DestructiveChange::toString, "; "));
        }
        return line.toString();
    }

    /** {@code 2 add discount code (V2__add_discount_code.sql)}; a repeatable migration has no version. */
    static String describe(AppliedMigration migration) {
        return (migration.version() == null ? "" : migration.version() + " ")
                + migration.description()
                + (migration.script() == null ? "" : " (" + migration.script() + ")");
    }

    private static <T> String listed(List<T> items, Function<T, String> describe, String separator) {
        String shown = items.stream().limit(MAX_LISTED).map(describe).collect(Collectors.joining(separator));
        return items.size() <= MAX_LISTED
                ? shown
                : shown + " and " + (items.size() - MAX_LISTED) + " more (see RunMigrations' output)";
    }

    private static String count(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
