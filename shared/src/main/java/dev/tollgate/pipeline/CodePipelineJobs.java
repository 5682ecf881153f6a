package dev.tollgate.pipeline;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.errors.JobAlreadyAnsweredException;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;

/** Answers jobs through CodePipeline's PutJobSuccessResult and PutJobFailureResult. */
public final class CodePipelineJobs implements PipelineJobs {

    private final CodePipelineClient codePipeline;

    public CodePipelineJobs(CodePipelineClient codePipeline) {
        this.codePipeline = codePipeline;
    }

    @Override
    public void succeed(String jobId, Map<String, String> outputVariables, String summary, String externalExecutionId) {
        call(
                "PutJobSuccessResult",
                jobId,
                () -> codePipeline.putJobSuccessResult(put -> put.jobId(jobId)
                        .outputVariables(outputVariables)
                        .executionDetails(details -> details.summary(summary)
                                .externalExecutionId(externalExecutionId)
                                .percentComplete(100))));
    }

    @Override
    public void continueLater(
            String jobId, String continuationToken, String summary, String externalExecutionId, int percentComplete) {
        call(
                "PutJobSuccessResult",
                jobId,
                () -> codePipeline.putJobSuccessResult(put -> put.jobId(jobId)
                        .continuationToken(continuationToken)
                        .executionDetails(details -> details.summary(summary)
                                .externalExecutionId(externalExecutionId)
                                .percentComplete(percentComplete))));
    }

    @Override
    public void fail(String jobId, FailureType type, String message, String externalExecutionId) {
        call(
                "PutJobFailureResult",
                jobId,
                () -> codePipeline.putJobFailureResult(put -> put.jobId(jobId)
                        .failureDetails(details ->
                                details.type(type.name()).message(message).externalExecutionId(externalExecutionId))));
    }

    private static void call(String operation, String jobId, Runnable answer) {
        try {
            answer.run();
        } catch (InvalidJobStateException answered) {
            throw new JobAlreadyAnsweredException("job " + jobId + " was answered before: "
                    + (answered.awsErrorDetails() == null
                            ? answered.getMessage()
                            : answered.awsErrorDetails().errorMessage()));
        } catch (SdkException failure) {
            throw AwsErrors.translate("CodePipeline " + operation, failure);
        }
    }
}
