package dev.tollgate.errors;

/** The deployment id was already used by another execution; every release needs its own id. */
public final class DeploymentIdInUseException extends TerminalException {

    public DeploymentIdInUseException(String message) {
        super(message);
    }
}
