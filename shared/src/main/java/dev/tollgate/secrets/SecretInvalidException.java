package dev.tollgate.secrets;

import dev.tollgate.errors.TerminalException;

/** The secret's value is not a JSON object, or lacks keys the spec requires. The message names keys, never values. */
public final class SecretInvalidException extends TerminalException {

    public SecretInvalidException(String message) {
        super(message);
    }
}
