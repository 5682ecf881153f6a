package dev.tollgate.pipeline;

import java.util.Map;

/**
 * Answers CodePipeline jobs. Each method throws {@code JobAlreadyAnsweredException} when the job
 * was answered before (a retried invocation of the same job).
 */
public interface PipelineJobs {

    /** The action succeeded; {@code outputVariables} become the action's variables for later actions. */
    void succeed(String jobId, Map<String, String> outputVariables, String summary, String externalExecutionId);

    /** The action is in progress: CodePipeline calls again with {@code continuationToken}. */
    void continueLater(
            String jobId, String continuationToken, String summary, String externalExecutionId, int percentComplete);

    void fail(String jobId, FailureType type, String message, String externalExecutionId);
}
