package dev.tollgate.errors;

/** An AWS call was refused for a reason retrying will not change (access denied, resource not found, bad parameter). */
public final class AwsCallFailedException extends TerminalException {

    public AwsCallFailedException(String message) {
        super(message);
    }
}
