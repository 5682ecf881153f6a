package dev.tollgate.migrations;

import dev.tollgate.errors.TerminalException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pending migrations hold statements the live version cannot survive, and the spec does not say
 * {@code allowDestructive}. Nothing was applied. The message lists each statement with its script,
 * line and reason.
 */
public final class DestructiveMigrationException extends TerminalException {

    public DestructiveMigrationException(List<DestructiveChange> changes) {
        super(describe(changes));
    }

    private static String describe(List<DestructiveChange> changes) {
        return changes.stream()
                .map(DestructiveChange::toString)
                .collect(Collectors.joining(
                        "; ",
                        "refused " + changes.size() + " destructive statement" + (changes.size() == 1 ? "" : "s")
                                + " (the live version keeps running on this schema during the canary and after a rollback; "
                                + "contract in a later release, or set migrations.allowDestructive: true): ",
                        ""));
    }
}
