package dev.tollgate.functions.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fakes.FakeDeploymentExecutions;
import dev.tollgate.fakes.FakePipelineJobs;
import dev.tollgate.fakes.Histories;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.pipeline.FailureType;
import dev.tollgate.pipeline.PipelineBridge;
import dev.tollgate.spec.SpecValidator;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The handler on the sample events SAM CLI users invoke it with, with in-memory fakes of CodePipeline, S3 and Step Functions. */
class PipelineBridgeHandlerTest {

    private final FakePipelineJobs jobs = new FakePipelineJobs();
    private final FakeDeploymentExecutions executions = new FakeDeploymentExecutions();

    private PipelineBridgeHandler handler(Optional<String> specFile) {
        return new PipelineBridgeHandler(new PipelineBridge(
                jobs,
                (artifact, credentials, path) ->
                        "BuildOutput".equals(artifact.name()) && "deploy/tollgate-spec.json".equals(path)
                                ? specFile
                                : Optional.empty(),
                executions,
                new SpecValidator()));
    }

    @Test
    void theFirstCallStartsTheDeploymentNamedAfterTheJob() {
        JsonNode answer = SampleEvents.invoke(handler(Optional.empty()), "pipeline-bridge-first-call.json");

        assertEquals("IN_PROGRESS", answer.path("result").asText());
        String executionArn = executions.executionArn("pipeline-0f7b6a3c-5d2e-4e1f-9a8b-7c6d5e4f3a21");
        assertEquals(executionArn, answer.path("executionArn").asText());
        assertTrue(jobs.answer("0f7b6a3c-5d2e-4e1f-9a8b-7c6d5e4f3a21")
                .continuationToken()
                .contains(executionArn));
    }

    @Test
    void aContinuationReportsProgressOnTheExecutionItsTokenNames() {
        String executionArn = executions
                .start(PipelineBridge.executionName("0f7b6a3c-5d2e-4e1f-9a8b-7c6d5e4f3a21"), "{}")
                .executionArn();
        executions.history(
                executionArn,
                new Histories("checkout-2026-11-24-v42", 5, 25, 50, 100)
                        .shifted(0, 5)
                        .events());

        JsonNode answer = SampleEvents.invoke(handler(Optional.empty()), "pipeline-bridge-continuation.json");

        assertEquals("IN_PROGRESS", answer.path("result").asText());
        assertTrue(answer.path("summary").asText().startsWith("step 1/4 at 5 %: baking | https://"), answer.toString());
        assertEquals(1, executions.startCalls(), "a continuation starts nothing");
    }

    @Test
    void aSpecFileIsReadFromTheInputArtifactWithTheIdThePipelineGave() {
        JsonNode answer = SampleEvents.invoke(
                handler(Optional.of(SampleEvents.read("statemachine-ecs-alb.json"))), "pipeline-bridge-spec-file.json");

        assertEquals("IN_PROGRESS", answer.path("result").asText(), answer.toString());
        assertTrue(executions
                .input(answer.path("executionArn").asText())
                .contains("\"deploymentId\":\"checkout-3f1c9a7e-2b4d-4e6f-8a0b-c1d2e3f4a5b6\""));
    }

    @Test
    void anInvalidSpecFailsTheJobAsAConfigurationError() {
        JsonNode answer = SampleEvents.invoke(handler(Optional.empty()), "pipeline-bridge-invalid-spec.json");

        assertEquals("FAILED", answer.path("result").asText());
        FakePipelineJobs.Answer sent = jobs.answer("9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
        assertEquals(FailureType.ConfigurationError, sent.failureType());
        assertTrue(sent.summary().contains("$.deploymentId"), sent.summary());
        assertEquals(0, executions.startCalls());
    }
}
