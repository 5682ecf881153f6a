package dev.tollgate.errors;

/** An operator acted on a deployment that has finished or does not exist. */
public final class DeploymentNotRunningException extends TerminalException {

    public DeploymentNotRunningException(String message) {
        super(message);
    }
}
