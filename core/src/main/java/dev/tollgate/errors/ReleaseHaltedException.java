package dev.tollgate.errors;

/** The release was aborted or a target failed: nothing more starts, and the release halts per its policy. */
public final class ReleaseHaltedException extends TerminalException {

    public ReleaseHaltedException(String message) {
        super(message);
    }
}
