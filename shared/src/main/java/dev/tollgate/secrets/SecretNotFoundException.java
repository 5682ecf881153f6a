package dev.tollgate.secrets;

import dev.tollgate.errors.TerminalException;

/** The secret does not exist, is scheduled for deletion, or has no current version. */
public final class SecretNotFoundException extends TerminalException {

    public SecretNotFoundException(String message) {
        super(message);
    }
}
