package dev.tollgate.errors;

/** CodePipeline refused an answer because the job was answered before (InvalidJobStateException): a retried invocation. */
public final class JobAlreadyAnsweredException extends TerminalException {

    public JobAlreadyAnsweredException(String message) {
        super(message);
    }
}
