package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import dev.tollgate.pipeline.PipelineBridge;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The pipeline bridge as CodePipeline's Lambda invoke action drives it, on the local stack: jobs in
 * moto's job store, the real function behind the local Lambda endpoint, the real state machine.
 */
@Execution(ExecutionMode.CONCURRENT)
class PipelineBridgeIT {

    /** The pipeline's action is followed as long as a scenario's deployment: it asks for the right answers, not speed. */
    private static final Duration FOLLOW_FOR = ScenarioRun.FOLLOW_FOR;

    private static LocalStack stack;
    private static LocalCodePipeline pipeline;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
        pipeline = new LocalCodePipeline(stack);
    }

    private static ScenarioRun.Release release(Scenario scenario, String service) {
        return new ScenarioRun(stack, new PrintStream(new ByteArrayOutputStream())).prepare(scenario, service, 7);
    }

    private static long executionsNamed(String name) {
        return stack
                .sfn()
                .listExecutions(
                        list -> list.stateMachineArn(stack.stateMachineArn()).maxResults(1000))
                .executions()
                .stream()
                .filter(execution -> execution.name().equals(name))
                .count();
    }

    @Test
    void aPromotedDeploymentSucceedsTheJobAfterSeveralContinuations() throws Exception {
        try (ScenarioRun.Release release = release(Scenario.GOOD, "pipe-good")) {
            // The demo spec is longer than the 1,000 characters CodePipeline allows inline: a file of the artifact, as
            // in a pipeline.
            String key = pipeline.uploadArtifact(
                    "pipe-good/BuildOutpu/r1.zip", "deploy/tollgate.json", Json.write(release.spec()));
            LocalCodePipeline.ActionRun run = pipeline.run(
                    LocalCodePipeline.jobData("{\"specFile\": \"deploy/tollgate.json\"}", key),
                    Duration.ofSeconds(3),
                    FOLLOW_FOR);

            assertTrue(run.jobs().size() >= 3, "a first call and at least two continuations: " + run.jobs());
            List<String> summaries = run.jobs().subList(0, run.jobs().size() - 1).stream()
                    .map(job -> job.accepted()
                            .path("executionDetails")
                            .path("summary")
                            .asText())
                    .toList();
            assertTrue(
                    summaries.stream()
                            .anyMatch(summary -> summary.matches("step [123]/3 at \\d+ %: \\w.* \\| https://.*")),
                    summaries.toString());
            JsonNode last = run.last().accepted();
            assertEquals("Succeeded", run.last().status(), last.toString());
            assertTrue(
                    last.path("continuationToken").isNull()
                            || last.path("continuationToken").asText().isEmpty(),
                    "the deployment ended within " + FOLLOW_FOR + ": " + last);
            assertEquals(
                    release.deploymentId(),
                    last.path("outputVariables").path("deploymentId").asText());
            assertEquals(
                    "PROMOTED", last.path("outputVariables").path("outcome").asText());
            assertEquals("100", last.path("outputVariables").path("finalWeight").asText());
        }
    }

    @Test
    void aRolledBackDeploymentFailsTheJobWithTheFailingCheckAndItsNumbers() throws Exception {
        try (ScenarioRun.Release release = release(Scenario.BAD_ERRORS, "pipe-bad")) {
            String key = pipeline.uploadArtifact(
                    "pipe-bad/BuildOutpu/r1.zip", "deploy/tollgate.json", Json.write(release.spec()));

            LocalCodePipeline.ActionRun run = pipeline.run(
                    LocalCodePipeline.jobData("{\"specFile\": \"deploy/tollgate.json\"}", key),
                    Duration.ofSeconds(3),
                    FOLLOW_FOR);

            assertEquals("Failed", run.last().status());
            JsonNode failure = run.last().accepted().path("failureDetails");
            assertEquals("JobFailed", failure.path("type").asText());
            String message = failure.path("message").asText();
            assertTrue(
                    message.matches("rolled back: step [12]/3 \\(\\d+ %\\) failed: error-rate: regression: canary .*"),
                    message);
            assertTrue(message.matches(".*canary \\d+\\.\\d+% \\(\\d+/\\d+\\) vs baseline .*"), message);
        }
    }

    @Test
    void invalidUserParametersFailTheJobWithTheValidationReportAndStartNothing() throws Exception {
        ObjectNode spec = (ObjectNode) Json.tree(RepositoryFilesForTests.event("statemachine-invalid.json"));

        String jobId = pipeline.createJob(LocalCodePipeline.jobData(Json.write(spec), null));
        JsonNode response = pipeline.invoke(jobId);

        assertEquals("FAILED", response.path("result").asText(), response.toString());
        LocalCodePipeline.JobRecord job = pipeline.job(jobId);
        assertEquals("Failed", job.status());
        JsonNode failure = job.accepted().path("failureDetails");
        assertEquals("ConfigurationError", failure.path("type").asText());
        assertTrue(failure.path("message").asText().startsWith("invalid deployment spec, "), failure.toString());
        assertTrue(failure.path("message").asText().contains("$.steps[1].weight"), failure.toString());
        assertEquals(0, executionsNamed(PipelineBridge.executionName(jobId)));
    }

    @Test
    void aJobDeliveredTwiceStartsOneExecutionAndIsAnsweredOnce() {
        try (ScenarioRun.Release release = release(Scenario.GOOD, "pipe-retry")) {
            String key = pipeline.uploadArtifact(
                    "pipe-retry/BuildOutpu/r1.zip", "deploy/tollgate.json", Json.write(release.spec()));
            String jobId =
                    pipeline.createJob(LocalCodePipeline.jobData("{\"specFile\": \"deploy/tollgate.json\"}", key));

            JsonNode first = pipeline.invoke(jobId);
            JsonNode retried = pipeline.invoke(jobId);

            assertEquals("IN_PROGRESS", first.path("result").asText(), first.toString());
            assertEquals("ALREADY_ANSWERED", retried.path("result").asText(), retried.toString());
            assertEquals(
                    first.path("executionArn").asText(),
                    retried.path("executionArn").asText());
            assertEquals(1, executionsNamed(PipelineBridge.executionName(jobId)));
            LocalCodePipeline.JobRecord job = pipeline.job(jobId);
            assertEquals(2, job.answers().size());
            assertTrue(job.answers().get(0).path("accepted").asBoolean());
            assertFalse(job.answers().get(1).path("accepted").asBoolean(), "CodePipeline refuses the second answer");
        }
    }
}
