package dev.tollgate.pipeline;

/** How the bridge answered a job: the handler's result, for the function's log. */
public record JobAnswer(String jobId, Result result, String summary, String executionArn) {

    public enum Result {
        /** The deployment promoted; the job succeeded with its output variables. */
        SUCCEEDED,
        /** The deployment runs; CodePipeline calls again with the continuation token. */
        IN_PROGRESS,
        /** The job failed with the reason. */
        FAILED,
        /** The job was answered before: a retried invocation changed nothing. */
        ALREADY_ANSWERED
    }
}
