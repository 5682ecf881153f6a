package dev.tollgate.migrations;

import dev.tollgate.errors.TerminalException;

/** The ECS migration task stopped with a non-zero exit code, failed to start, or ran past its timeout. */
public final class MigrationTaskFailedException extends TerminalException {

    public MigrationTaskFailedException(String message) {
        super(message);
    }
}
