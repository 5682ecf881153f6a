package dev.tollgate.secrets;

import dev.tollgate.errors.RetryableException;

/**
 * A rotation of the secret has begun and not finished (an AWSPENDING version that is not
 * AWSCURRENT): which password the database accepts is changing. The state machine retries with
 * backoff; if the rotation is still stuck after the last retry, the deployment fails before any
 * traffic moves.
 */
public final class SecretRotationInProgressException extends RetryableException {

    public SecretRotationInProgressException(String message) {
        super(message);
    }
}
