package dev.tollgate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.errors.AwsUnavailableException;
import dev.tollgate.fakes.FakeDeploymentExecutions;
import dev.tollgate.fakes.FakePipelineJobs;
import dev.tollgate.fakes.Histories;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.pipeline.PipelineJob.ArtifactCredentials;
import dev.tollgate.pipeline.PipelineJob.InputArtifact;
import dev.tollgate.spec.SpecValidator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class PipelineBridgeTest {

    /** An inline spec as a pipeline holds it: the sample first call's UserParameters (at most 1,000 characters). */
    private static final String SPEC = userParameters("pipeline-bridge-first-call.json");

    private static final String DEPLOYMENT_ID = "checkout-2026-11-24-v42";

    private final FakePipelineJobs jobs = new FakePipelineJobs();
    private final FakeDeploymentExecutions executions = new FakeDeploymentExecutions();
    private final Map<String, String> artifactFiles = new HashMap<>();
    private final ArtifactStore artifacts =
            (artifact, credentials, path) -> Optional.ofNullable(artifactFiles.get(artifact.name() + "/" + path));
    private final PipelineBridge bridge = new PipelineBridge(jobs, artifacts, executions, new SpecValidator());

    private static String userParameters(String sample) {
        return PipelineJob.fromEvent(dev.tollgate.json.Json.tree(SampleEvents.read(sample)))
                .userParameters();
    }

    private static PipelineJob job(String jobId, String userParameters, String continuationToken) {
        return new PipelineJob(
                jobId,
                "123456789012",
                userParameters,
                List.of(new InputArtifact("BuildOutput", "artifact-bucket", "pipeline/BuildOutput/abc.zip")),
                new ArtifactCredentials("placeholder-key-id", "secret", "token"),
                continuationToken);
    }

    @Test
    void startsTheDeploymentAndAnswersInProgressWithAContinuationToken() {
        JobAnswer answer = bridge.handle(job("job-1", SPEC, null));

        assertEquals(JobAnswer.Result.IN_PROGRESS, answer.result());
        String executionArn = executions.executionArn(PipelineBridge.executionName("job-1"));
        assertEquals(executionArn, answer.executionArn());
        FakePipelineJobs.Answer sent = jobs.answer("job-1");
        assertEquals("IN_PROGRESS", sent.result());
        assertTrue(sent.continuationToken().contains(executionArn), sent.continuationToken());
        assertTrue(
                sent.summary()
                        .startsWith(
                                "preparing: validating the request | https://eu-west-1.console.aws.amazon.com/states/"),
                sent.summary());
        assertEquals(executionArn, sent.externalExecutionId());
    }

    @Test
    void aContinuationReportsTheStepWeightAndLastVerdict() {
        bridge.handle(job("job-1", SPEC, null));
        String token = jobs.answer("job-1").continuationToken();
        String executionArn = executions.executionArn(PipelineBridge.executionName("job-1"));
        executions.history(
                executionArn,
                new Histories(DEPLOYMENT_ID, 5, 25, 50, 100)
                        .shifted(0, 5)
                        .tick("PASS", "error-rate", "ok", "NEXT_STEP", "passed")
                        .shifted(1, 25)
                        .verdict("PASS", "error-rate", "ok")
                        .events());

        bridge.handle(job("job-2", SPEC, token));

        FakePipelineJobs.Answer sent = jobs.answer("job-2");
        assertEquals("IN_PROGRESS", sent.result());
        assertTrue(sent.summary().startsWith("step 2/4 at 25 %: healthy | https://"), sent.summary());
        assertEquals(50, sent.percentComplete());
        assertEquals(token, sent.continuationToken(), "the same token: it names the same execution");
    }

    @Test
    void aPromotionSucceedsTheJobWithOutputVariables() {
        bridge.handle(job("job-1", SPEC, null));
        String executionArn = executions.executionArn(PipelineBridge.executionName("job-1"));
        executions.succeed(
                executionArn,
                "{\"deploymentId\":\"" + DEPLOYMENT_ID + "\",\"status\":\"PROMOTED\","
                        + "\"reason\":\"step 3/4 (50 %) passed: all 4 checks pass\",\"canaryPercent\":100,\"baselinePercent\":0}");

        JobAnswer answer = bridge.handle(job("job-2", SPEC, jobs.answer("job-1").continuationToken()));

        assertEquals(JobAnswer.Result.SUCCEEDED, answer.result());
        FakePipelineJobs.Answer sent = jobs.answer("job-2");
        assertEquals(
                Map.of(
                        "deploymentId",
                        DEPLOYMENT_ID,
                        "outcome",
                        "PROMOTED",
                        "finalWeight",
                        "100",
                        "executionArn",
                        executionArn),
                sent.outputVariables());
        assertNull(sent.continuationToken());
        assertEquals("PROMOTED at 100 %: step 3/4 (50 %) passed: all 4 checks pass", sent.summary());
    }

    @Test
    void aRollbackFailsTheJobWithTheFailingCheckAndItsNumbers() {
        bridge.handle(job("job-1", SPEC, null));
        String executionArn = executions.executionArn(PipelineBridge.executionName("job-1"));
        executions.fail(
                executionArn,
                "RolledBack",
                "step 1/4 (5 %) failed: error-rate: regression: canary 7.273% (8/110) vs baseline 1.468% (16/1090)");

        bridge.handle(job("job-2", SPEC, jobs.answer("job-1").continuationToken()));

        FakePipelineJobs.Answer sent = jobs.answer("job-2");
        assertEquals(FailureType.JobFailed, sent.failureType());
        assertTrue(
                sent.summary()
                        .startsWith(
                                "rolled back: step 1/4 (5 %) failed: error-rate: regression: canary 7.273% (8/110)"),
                sent.summary());
    }

    @Test
    void aFailedMigrationFailsTheJobWithWhatFailed() {
        bridge.handle(job("job-1", SPEC, null));
        String executionArn = executions.executionArn(PipelineBridge.executionName("job-1"));
        executions.fail(
                executionArn,
                "DeploymentFailed",
                "failed with MigrationFailed: V7__drop_column.sql: destructive statement refused");

        bridge.handle(job("job-2", SPEC, jobs.answer("job-1").continuationToken()));

        assertTrue(
                jobs.answer("job-2")
                        .summary()
                        .startsWith("deployment failed, traffic restored to the old version: failed with "
                                + "MigrationFailed: V7__drop_column.sql"),
                jobs.answer("job-2").summary());
    }

    @Test
    void aDryRunFailsTheJobSoNoLaterStageTakesItForARelease() {
        bridge.handle(job("job-1", SPEC, null));
        String executionArn = executions.executionArn(PipelineBridge.executionName("job-1"));
        executions.fail(
                executionArn,
                "DryRun",
                "dry run: nothing deployed, no traffic moved; would apply 1 migration on "
                        + "app@db:5432/checkout: 3 add discount code (V3__add_discount_code.sql)");

        bridge.handle(job("job-2", SPEC, jobs.answer("job-1").continuationToken()));

        FakePipelineJobs.Answer sent = jobs.answer("job-2");
        assertEquals(FailureType.JobFailed, sent.failureType());
        assertTrue(
                sent.summary()
                        .startsWith(
                                "dry run: nothing deployed, no traffic moved; would apply 1 migration on app@db:5432/"
                                        + "checkout: 3 add discount code (V3__add_discount_code.sql) | https://"),
                sent.summary());
    }

    @Test
    void invalidUserParametersFailTheJobWithTheValidationReportAndStartNothing() {
        JobAnswer answer = bridge.handle(job("job-1", userParameters("pipeline-bridge-invalid-spec.json"), null));

        assertEquals(JobAnswer.Result.FAILED, answer.result());
        FakePipelineJobs.Answer sent = jobs.answer("job-1");
        assertEquals(FailureType.ConfigurationError, sent.failureType());
        assertTrue(sent.summary().startsWith("invalid deployment spec, "), sent.summary());
        assertTrue(sent.summary().contains("$.deploymentId"), sent.summary());
        assertEquals(0, executions.startCalls());
    }

    @Test
    void anInlineSpecLongerThanCodePipelineAllowsIsRefusedWithAPointerToSpecFileBeforeAnythingStarts() {
        String pretty = SampleEvents.read("statemachine-ecs-alb.json");

        JobAnswer answer = bridge.handle(job("job-1", pretty, null));

        assertEquals(JobAnswer.Result.FAILED, answer.result());
        FakePipelineJobs.Answer sent = jobs.answer("job-1");
        assertEquals(FailureType.ConfigurationError, sent.failureType());
        assertEquals(
                String.format(
                                "UserParameters is %,d characters long, and CodePipeline allows ",
                                pretty.codePointCount(0, pretty.length()))
                        + "1,000 in an action's configuration value: put the spec in a file of the input artifact and name it instead, "
                        + "{\"specFile\": \"deploy/tollgate-spec.json\"} (see docs/pipeline.md)",
                sent.summary());
        assertEquals(0, executions.startCalls());
    }

    @Test
    void everySampleEventsUserParametersFitCodePipelinesLimit() {
        for (String sample : List.of(
                "pipeline-bridge-first-call.json",
                "pipeline-bridge-continuation.json",
                "pipeline-bridge-spec-file.json",
                "pipeline-bridge-invalid-spec.json")) {
            String parameters = userParameters(sample);
            assertTrue(
                    parameters.codePointCount(0, parameters.length()) <= SpecSource.MAX_USER_PARAMETERS_CHARACTERS,
                    sample);
        }
    }

    @Test
    void userParametersThatAreNotJsonAreAConfigurationError() {
        bridge.handle(job("job-1", "deploy checkout please", null));
        bridge.handle(job("job-2", null, null));

        assertEquals(FailureType.ConfigurationError, jobs.answer("job-1").failureType());
        assertTrue(
                jobs.answer("job-1").summary().startsWith("UserParameters is not JSON"),
                jobs.answer("job-1").summary());
        assertTrue(jobs.answer("job-2").summary().startsWith("UserParameters is empty"));
    }

    @Test
    void readsTheSpecFromAFileInTheInputArtifactWithAnIdFromThePipeline() {
        artifactFiles.put("BuildOutput/deploy/tollgate.json", SPEC);

        bridge.handle(job(
                "job-1", "{\"specFile\": \"deploy/tollgate.json\", \"deploymentId\": \"checkout-exec-7f3a\"}", null));

        assertEquals("IN_PROGRESS", jobs.answer("job-1").result());
        String input = executions.input(executions.executionArn(PipelineBridge.executionName("job-1")));
        assertTrue(input.contains("\"deploymentId\":\"checkout-exec-7f3a\""), input);
        assertTrue(jobs.answer("job-1").continuationToken().contains("checkout-exec-7f3a"));
    }

    @Test
    void aSpecFileMissingFromTheArtifactIsAConfigurationError() {
        bridge.handle(job("job-1", "{\"specFile\": \"deploy/missing.json\"}", null));
        bridge.handle(job("job-2", "{\"specFile\": \"deploy/tollgate.json\", \"artifact\": \"SourceOutput\"}", null));

        assertEquals(
                "the input artifact BuildOutput has no file deploy/missing.json",
                jobs.answer("job-1").summary());
        assertEquals(FailureType.ConfigurationError, jobs.answer("job-2").failureType());
        assertTrue(jobs.answer("job-2").summary().startsWith("no input artifact named SourceOutput"));
    }

    @Test
    void aRetriedInvocationOfTheSameJobFindsTheSameExecutionAndChangesNothing() {
        JobAnswer first = bridge.handle(job("job-1", SPEC, null));
        JobAnswer retried = bridge.handle(job("job-1", SPEC, null));

        assertEquals(1, executions.executionCount());
        assertEquals(first.executionArn(), retried.executionArn());
        assertEquals(JobAnswer.Result.ALREADY_ANSWERED, retried.result());
        assertEquals(1, jobs.refused().size());
    }

    @Test
    void aStepFunctionsHiccupWhileFollowingKeepsTheJobInProgress() {
        bridge.handle(job("job-1", SPEC, null));
        executions.failNextDescribe(
                new AwsUnavailableException("DescribeExecution failed: ThrottlingException (HTTP 400)"));

        JobAnswer answer = bridge.handle(job("job-2", SPEC, jobs.answer("job-1").continuationToken()));

        assertEquals(JobAnswer.Result.IN_PROGRESS, answer.result());
        assertTrue(
                jobs.answer("job-2").summary().startsWith("status unavailable for a moment"),
                jobs.answer("job-2").summary());
    }

    @Test
    void anUnexpectedFailureStillAnswersTheJob() {
        executions.failNextDescribe(new IllegalStateException("boom"));

        JobAnswer answer = bridge.handle(job("job-1", SPEC, null));

        assertEquals(JobAnswer.Result.FAILED, answer.result());
        assertEquals(FailureType.JobFailed, jobs.answer("job-1").failureType());
        assertTrue(
                jobs.answer("job-1").summary().contains("IllegalState: boom"),
                jobs.answer("job-1").summary());
    }

    @Test
    void whenTheAnswerItselfCannotBeSentTheInvocationFailsSoLambdaRetriesIt() {
        jobs.failNextAnswer(new AwsUnavailableException("PutJobSuccessResult failed: HTTP 503"));

        assertThrows(AwsUnavailableException.class, () -> bridge.handle(job("job-1", SPEC, null)));
        assertNull(jobs.answer("job-1"));
    }

    @Test
    void executionNamesComeFromTheJobIdAndFitStepFunctionsRules() {
        assertEquals(
                "pipeline-11111111-abcd-1111-abcd-111111abcdef",
                PipelineBridge.executionName("11111111-abcd-1111-abcd-111111abcdef"));
        assertTrue(PipelineBridge.executionName("x".repeat(100)).length() <= 80);
        assertEquals("pipeline-a-b", PipelineBridge.executionName("a b"));
    }

    @Test
    void theS3StoreFindsAFileInsideTheZippedArtifact() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry("deploy/"));
            zip.putNextEntry(new ZipEntry("deploy/tollgate.json"));
            zip.write("{\"deploymentId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }

        assertEquals(
                Optional.of("{\"deploymentId\":\"x\"}"),
                S3ArtifactStore.find(new ByteArrayInputStream(zipped.toByteArray()), "deploy/tollgate.json"));
        assertEquals(
                Optional.empty(), S3ArtifactStore.find(new ByteArrayInputStream(zipped.toByteArray()), "other.json"));
    }

    @Test
    void readsTheJobEventCodePipelineSends() {
        PipelineJob job = PipelineJob.fromEvent(
                dev.tollgate.json.Json.tree(SampleEvents.read("pipeline-bridge-continuation.json")));

        assertEquals("c7d3f0a2-9b1e-4d55-8a7c-2f61e0b4d9a8", job.jobId());
        assertNotNull(job.continuationToken());
        assertEquals("BuildOutput", job.inputArtifacts().get(0).name());
        assertEquals("ArtifactCredentials[redacted]", job.credentials().toString());
    }
}
