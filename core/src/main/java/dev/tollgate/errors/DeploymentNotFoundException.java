package dev.tollgate.errors;

/** No deployment has that id: neither a record in the deployments table nor an execution of that name. */
public final class DeploymentNotFoundException extends TerminalException {

    public DeploymentNotFoundException(String message) {
        super(message);
    }
}
