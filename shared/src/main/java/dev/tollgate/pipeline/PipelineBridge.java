package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.JobAlreadyAnsweredException;
import dev.tollgate.errors.PipelineConfigurationException;
import dev.tollgate.errors.RetryableException;
import dev.tollgate.json.Json;
import dev.tollgate.ops.ConsoleLinks;
import dev.tollgate.ops.DeploymentExecutions;
import dev.tollgate.ops.ExecutionView;
import dev.tollgate.ops.HistoryReport;
import dev.tollgate.ops.RolloutProgress;
import dev.tollgate.pipeline.JobAnswer.Result;
import dev.tollgate.priming.Priming;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a deployment as a CodePipeline action (DESIGN section 6). The first call reads and validates
 * the spec and starts the execution, named after the job id so that a retried invocation finds it
 * instead of starting a second; every call answers the job: in progress with a continuation token
 * and a one-line summary, succeeded with output variables, or failed with the reason. Whatever goes
 * wrong while deciding the answer becomes a failure answer; only a failure to answer at all leaves
 * the function (so Lambda's retry of the asynchronous invocation tries again).
 */
public final class PipelineBridge {

    public static final String EXECUTION_NAME_PREFIX = "pipeline-";
    static final int MAX_SUMMARY = 2048;
    static final int MAX_FAILURE_MESSAGE = 5000;

    private final PipelineJobs jobs;
    private final SpecSource specs;
    private final DeploymentExecutions executions;
    private final SpecValidator validator;

    public PipelineBridge(
            PipelineJobs jobs, ArtifactStore artifacts, DeploymentExecutions executions, SpecValidator validator) {
        this.jobs = jobs;
        this.specs = new SpecSource(artifacts);
        this.executions = executions;
        this.validator = validator;
    }

    /** The answer the bridge decided on, before it is sent. */
    private record Reply(
            Result result,
            String summary,
            String executionArn,
            String continuationToken,
            int percentComplete,
            Map<String, String> outputVariables,
            FailureType failureType) {

        static Reply inProgress(String summary, String executionArn, String token, int percent) {
            return new Reply(Result.IN_PROGRESS, summary, executionArn, token, percent, null, null);
        }

        static Reply failure(FailureType type, String message, String executionArn) {
            return new Reply(Result.FAILED, message, executionArn, null, 0, null, type);
        }
    }

    public JobAnswer handle(PipelineJob job) {
        Reply reply;
        try {
            reply = job.continuationToken() == null ? start(job) : follow(Continuation.parse(job.continuationToken()));
        } catch (InvalidSpecException | PipelineConfigurationException misconfigured) {
            reply = Reply.failure(FailureType.ConfigurationError, misconfigured.getMessage(), null);
        } catch (RuntimeException failure) {
            // Not while SnapStart priming runs: its empty answers (an execution without an ARN) end here, and priming
            // writes nothing.
            if (!(failure instanceof dev.tollgate.errors.TollgateException) && !Priming.active()) {
                System.err.println("pipeline bridge: unexpected failure for job " + job.jobId());
                failure.printStackTrace();
            }
            reply = Reply.failure(
                    FailureType.JobFailed, "Tollgate could not run the deployment: " + describe(failure), null);
        }
        try {
            send(job.jobId(), reply);
        } catch (JobAlreadyAnsweredException answered) {
            return new JobAnswer(job.jobId(), Result.ALREADY_ANSWERED, answered.getMessage(), reply.executionArn());
        }
        return new JobAnswer(job.jobId(), reply.result(), reply.summary(), reply.executionArn());
    }

    /** The execution's name: derived from the job id only, so every invocation for this job names the same execution. */
    public static String executionName(String jobId) {
        String safe = jobId.replaceAll("[^A-Za-z0-9_-]", "-");
        String name = EXECUTION_NAME_PREFIX + safe;
        return name.length() <= 80 ? name : name.substring(0, 80);
    }

    private Reply start(PipelineJob job) {
        JsonNode request = specs.read(job);
        DeploymentSpec spec = validator.validate(request);
        String executionArn = executions
                .start(executionName(job.jobId()), Json.write(request))
                .executionArn();
        return follow(new Continuation(executionArn, spec.deploymentId()));
    }

    private Reply follow(Continuation continuation) {
        String executionArn = continuation.executionArn();
        String link = ConsoleLinks.execution(executionArn);
        Optional<ExecutionView> found;
        try {
            found = executions.describe(executionArn);
        } catch (RetryableException unavailable) {
            // The deployment goes on without us: report "in progress" and look again at the next call.
            return Reply.inProgress(
                    truncate(
                            "status unavailable for a moment (" + unavailable.getMessage() + "); checking again | "
                                    + link,
                            MAX_SUMMARY),
                    executionArn,
                    continuation.token(),
                    0);
        }
        if (found.isEmpty()) {
            return Reply.failure(
                    FailureType.JobFailed,
                    "the deployment's execution " + executionArn + " does not exist",
                    executionArn);
        }
        ExecutionView execution = found.get();
        if (execution.state().running()) {
            RolloutProgress progress;
            try {
                progress = RolloutProgress.from(executions.history(executionArn));
            } catch (RetryableException unavailable) {
                return Reply.inProgress(
                        truncate("running; progress unavailable for a moment | " + link, MAX_SUMMARY),
                        executionArn,
                        continuation.token(),
                        0);
            }
            return Reply.inProgress(
                    truncate(progress.summary() + " | " + link, MAX_SUMMARY),
                    executionArn,
                    continuation.token(),
                    progress.percentComplete());
        }
        if (execution.state() == dev.tollgate.ops.ExecutionState.SUCCEEDED) {
            return succeeded(execution, continuation);
        }
        return Reply.failure(
                FailureType.JobFailed,
                truncate(failureReason(execution) + " | " + link, MAX_FAILURE_MESSAGE),
                executionArn);
    }

    private static Reply succeeded(ExecutionView execution, Continuation continuation) {
        JsonNode outcome = execution.output() == null ? Json.MAPPER.createObjectNode() : Json.tree(execution.output());
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("deploymentId", outcome.path("deploymentId").asText(String.valueOf(continuation.deploymentId())));
        variables.put("outcome", outcome.path("status").asText("PROMOTED"));
        variables.put(
                "finalWeight", Integer.toString(outcome.path("canaryPercent").asInt(100)));
        variables.put("executionArn", execution.executionArn());
        String summary = variables.get("outcome") + " at " + variables.get("finalWeight") + " %: "
                + outcome.path("reason").asText("");
        return new Reply(
                Result.SUCCEEDED, truncate(summary, MAX_SUMMARY), execution.executionArn(), null, 100, variables, null);
    }

    /** The reason as an operator reads it: the rollback's cause with the failing check's numbers, or the error's message. */
    static String failureReason(ExecutionView execution) {
        String cause = HistoryReport.errorMessage(execution.cause());
        String error = execution.error() == null ? "" : execution.error();
        return switch (error) {
            case "RolledBack" -> "rolled back: " + cause;
            // The cause starts "dry run: nothing deployed": the job fails so that no later stage takes it for a
            // release.
            case "DryRun" -> cause;
            case "DeploymentFailed" -> "deployment failed, traffic restored to the old version: " + cause;
            case "ManualInterventionRequired" ->
                "rollback failed, manual intervention required (the lock stays held): " + cause;
            case "" -> "the execution ended " + execution.state();
            default -> "refused: " + shortName(error) + ": " + cause;
        };
    }

    private void send(String jobId, Reply reply) {
        switch (reply.result()) {
            case SUCCEEDED -> jobs.succeed(jobId, reply.outputVariables(), reply.summary(), reply.executionArn());
            case IN_PROGRESS ->
                jobs.continueLater(
                        jobId,
                        reply.continuationToken(),
                        reply.summary(),
                        reply.executionArn(),
                        reply.percentComplete());
            default -> jobs.fail(jobId, reply.failureType(), reply.summary(), reply.executionArn());
        }
    }

    private static String describe(RuntimeException failure) {
        String message = failure.getMessage();
        return shortName(failure.getClass().getName()) + (message == null ? "" : ": " + message);
    }

    private static String shortName(String error) {
        String simple = error.substring(error.lastIndexOf('.') + 1);
        return simple.endsWith("Exception") && simple.length() > "Exception".length()
                ? simple.substring(0, simple.length() - "Exception".length())
                : simple;
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
