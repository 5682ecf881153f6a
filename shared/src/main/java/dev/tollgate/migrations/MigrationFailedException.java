package dev.tollgate.migrations;

import dev.tollgate.errors.TerminalException;

/** A migration could not be applied (a failing script, a failed validation, an unreachable database); nothing after it ran. */
public final class MigrationFailedException extends TerminalException {

    public MigrationFailedException(String message) {
        super(message);
    }
}
