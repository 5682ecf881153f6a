package dev.tollgate.fakes;

import dev.tollgate.errors.JobAlreadyAnsweredException;
import dev.tollgate.pipeline.FailureType;
import dev.tollgate.pipeline.PipelineJobs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** CodePipeline's job answers in memory: a job takes one answer, a second is refused as CodePipeline refuses it. */
public final class FakePipelineJobs implements PipelineJobs {

    /** One answer: SUCCEEDED (with variables), IN_PROGRESS (with a token) or FAILED (with a type). */
    public record Answer(
            String jobId,
            String result,
            String summary,
            String continuationToken,
            Integer percentComplete,
            Map<String, String> outputVariables,
            FailureType failureType,
            String externalExecutionId) {}

    private final Map<String, Answer> answers = new HashMap<>();
    private final List<Answer> refused = new ArrayList<>();
    private RuntimeException nextFailure;

    @Override
    public synchronized void succeed(
            String jobId, Map<String, String> outputVariables, String summary, String externalExecutionId) {
        record(new Answer(
                jobId, "SUCCEEDED", summary, null, 100, Map.copyOf(outputVariables), null, externalExecutionId));
    }

    @Override
    public synchronized void continueLater(
            String jobId, String continuationToken, String summary, String externalExecutionId, int percentComplete) {
        record(new Answer(
                jobId, "IN_PROGRESS", summary, continuationToken, percentComplete, null, null, externalExecutionId));
    }

    @Override
    public synchronized void fail(String jobId, FailureType type, String message, String externalExecutionId) {
        record(new Answer(jobId, "FAILED", message, null, null, null, type, externalExecutionId));
    }

    public synchronized FakePipelineJobs failNextAnswer(RuntimeException failure) {
        this.nextFailure = failure;
        return this;
    }

    private void record(Answer answer) {
        if (nextFailure != null) {
            RuntimeException failure = nextFailure;
            nextFailure = null;
            throw failure;
        }
        if (answers.containsKey(answer.jobId())) {
            refused.add(answer);
            throw new JobAlreadyAnsweredException("job " + answer.jobId() + " was answered before");
        }
        answers.put(answer.jobId(), answer);
    }

    public synchronized Answer answer(String jobId) {
        return answers.get(jobId);
    }

    public synchronized List<Answer> refused() {
        return List.copyOf(refused);
    }
}
