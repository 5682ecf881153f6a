package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deployment.DynamoDeploymentStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** The moto extensions of {@code moto_launcher.py}, each checked against the behaviour AWS documents. */
class MotoExtensionsIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    @Test
    void getMetricDataAnswersPercentilesFromRawValuesAndSkipsPeriodsWithoutData() {
        Instant periodStart = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 60 * 60 - 600);
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add((double) i);
        }
        Dimension dimension = Dimension.builder().name("Probe").value("percentiles").build();
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            cloudWatch.putMetricData(put -> put.namespace("Probe").metricData(datum -> datum.metricName("Latency")
                    .dimensions(dimension).timestamp(periodStart.plusSeconds(1)).values(values)));
            GetMetricDataResponse response = cloudWatch.getMetricData(get -> get
                    .startTime(periodStart).endTime(periodStart.plusSeconds(180))
                    .metricDataQueries(
                            query("p99", "p99", dimension), query("p50", "p50", dimension), query("p999", "p99.9", dimension),
                            query("avg", "Average", dimension)));
            assertEquals(List.of(99.0), result(response, "p99").values(), "nearest rank of 1..100");
            assertEquals(List.of(50.0), result(response, "p50").values());
            assertEquals(List.of(100.0), result(response, "p999").values());
            assertEquals(List.of(50.5), result(response, "avg").values());
            assertEquals(1, result(response, "p99").timestamps().size(), "the two empty periods are left out, not zero");
        }
    }

    private static software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery query(String id, String stat, Dimension dimension) {
        return software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery.builder().id(id)
                .metricStat(metricStat -> metricStat.period(60).stat(stat)
                        .metric(metric -> metric.namespace("Probe").metricName("Latency").dimensions(dimension)))
                .build();
    }

    private static MetricDataResult result(GetMetricDataResponse response, String id) {
        return response.metricDataResults().stream().filter(result -> result.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void updateServiceStartsANewPrimaryDeploymentThatCompletes() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "ecs-probe");
        try (EcsClient ecs = stack.ecs()) {
            ecs.updateService(update -> update.cluster(fixture.cluster()).service(fixture.greenService())
                    .taskDefinition(fixture.releaseTaskDefinition()).desiredCount(3));
            List<Deployment> during = ecs.describeServices(d -> d.cluster(fixture.cluster()).services(fixture.greenService()))
                    .services().get(0).deployments();
            assertEquals("PRIMARY", during.get(0).status());
            assertEquals(fixture.releaseTaskDefinition(), during.get(0).taskDefinition());
            assertEquals("IN_PROGRESS", during.get(0).rolloutStateAsString());
            assertEquals("ACTIVE", during.get(1).status(), "the old deployment stays until the rollout completes");

            Thread.sleep(3_000);
            List<Deployment> after = ecs.describeServices(d -> d.cluster(fixture.cluster()).services(fixture.greenService()))
                    .services().get(0).deployments();
            assertEquals(1, after.size());
            assertEquals("COMPLETED", after.get(0).rolloutStateAsString());
            assertEquals(3, after.get(0).runningCount());
        }
    }

    @Test
    void runsSeveralExecutionsOfOneStateMachineAtOnce() throws Exception {
        SfnClient sfn = stack.sfn();
        String waiting = sfn.createStateMachine(create -> create.name("probe-concurrent")
                .roleArn("arn:aws:iam::123456789012:role/probe")
                .definition("{\"StartAt\":\"Wait\",\"States\":{\"Wait\":{\"Type\":\"Wait\",\"Seconds\":2,\"End\":true}}}"))
                .stateMachineArn();
        List<String> executions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int index = i;
            executions.add(sfn.startExecution(start -> start.stateMachineArn(waiting).name("probe-" + index)).executionArn());
        }
        Thread.sleep(4_000);
        for (String execution : executions) {
            assertEquals(ExecutionStatus.SUCCEEDED, sfn.describeExecution(d -> d.executionArn(execution)).status());
        }
    }

    @Test
    void theEngineSeesAFunctionsErrorByItsClassNameAsOnLambda() throws Exception {
        SfnClient sfn = stack.sfn();
        String definition = "{\"StartAt\":\"Lock\",\"States\":{\"Lock\":{\"Type\":\"Task\",\"Resource\":\""
                + LocalStack.functionArn("DeploymentLockFunction") + "\",\"Catch\":[{\"ErrorEquals\":"
                + "[\"dev.tollgate.errors.BadRequestException\"],\"ResultPath\":\"$.caught\",\"Next\":\"Caught\"}],\"End\":true},"
                + "\"Caught\":{\"Type\":\"Pass\",\"End\":true}}}";
        String machine = sfn.createStateMachine(create -> create.name("probe-errors")
                .roleArn("arn:aws:iam::123456789012:role/probe").definition(definition)).stateMachineArn();

        String execution = sfn.startExecution(start -> start.stateMachineArn(machine).input("{}")).executionArn();
        Thread.sleep(2_000);

        var result = sfn.describeExecution(d -> d.executionArn(execution));
        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), String.valueOf(result.error()));
        assertTrue(result.output().contains("dev.tollgate.errors.BadRequestException"), result.output());
        assertTrue(result.output().contains("the event has no 'action'"), result.output());
    }

    @Test
    void sendTaskFailureHandsItsCauseToTheCatchAsOnAws() throws Exception {
        DynamoDeploymentStore store = new DynamoDeploymentStore(stack.dynamo(), LocalStack.TABLE_NAME);
        store.acquire("cause-probe", "cause-probe-1", "probe-execution", java.time.Instant.now());
        SfnClient sfn = stack.sfn();
        String definition = "{\"StartAt\":\"Gate\",\"States\":{\"Gate\":{\"Type\":\"Task\","
                + "\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\",\"Parameters\":{\"FunctionName\":\""
                + LocalStack.functionArn("ApprovalFunction") + "\",\"Payload\":{\"deploymentId\":\"cause-probe-1\",\"nextStepIndex\":1,"
                + "\"reason\":\"probe\",\"taskToken.$\":\"$$.Task.Token\"}},\"Catch\":[{\"ErrorEquals\":[\"Aborted\"],"
                + "\"ResultPath\":\"$.failure\",\"Next\":\"Caught\"}],\"End\":true},\"Caught\":{\"Type\":\"Pass\",\"End\":true}}}";
        String machine = sfn.createStateMachine(create -> create.name("probe-task-failure")
                .roleArn("arn:aws:iam::123456789012:role/probe").definition(definition)).stateMachineArn();
        String execution = sfn.startExecution(start -> start.stateMachineArn(machine).input("{}")).executionArn();
        String token = null;
        for (int attempt = 0; attempt < 50 && token == null; attempt++) {
            Thread.sleep(100);
            token = store.approvalToken("cause-probe-1").orElse(null);
        }
        String parked = token;

        sfn.sendTaskFailure(send -> send.taskToken(parked).error("Aborted").cause("aborted by alice: wrong build"));
        // The gate's function may still be finishing its invocation (it also puts an event on the bus): wait for the Catch.
        var result = sfn.describeExecution(d -> d.executionArn(execution));
        for (int attempt = 0; attempt < 100 && result.status() == ExecutionStatus.RUNNING; attempt++) {
            Thread.sleep(100);
            result = sfn.describeExecution(d -> d.executionArn(execution));
        }
        assertEquals(ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("aborted by alice: wrong build",
                dev.tollgate.json.Json.tree(result.output()).path("failure").path("Cause").asText(), result.output());
    }

    @Test
    void codePipelineJobsTakeOneAnswerAsTheApiReferenceSays() {
        LocalCodePipeline pipeline = new LocalCodePipeline(stack);
        String jobId = pipeline.createJob(LocalCodePipeline.jobData("{}", null));
        try (CodePipelineClient codePipeline = stack.clients().build(CodePipelineClient.builder())) {
            assertEquals(jobId, codePipeline.getJobDetails(get -> get.jobId(jobId)).jobDetails().id());
            assertThrows(ValidationException.class, () -> codePipeline.putJobSuccessResult(put -> put.jobId(jobId)
                    .continuationToken("t").outputVariables(java.util.Map.of("outcome", "PROMOTED"))),
                    "outputVariables only without a continuation token");
            assertThrows(ValidationException.class, () -> codePipeline.putJobFailureResult(put -> put.jobId(jobId)
                    .failureDetails(details -> details.type("JobFailed").message(""))), "a failure needs a message");

            codePipeline.putJobSuccessResult(put -> put.jobId(jobId).continuationToken("token-1")
                    .executionDetails(details -> details.summary("step 1/3 at 10 %: healthy").percentComplete(33)));

            assertThrows(InvalidJobStateException.class, () -> codePipeline.putJobFailureResult(put -> put.jobId(jobId)
                    .failureDetails(details -> details.type("JobFailed").message("late"))), "a job takes one answer");
            assertThrows(JobNotFoundException.class, () -> codePipeline.putJobSuccessResult(put -> put.jobId("no-such-job")));
        }
        LocalCodePipeline.JobRecord record = pipeline.job(jobId);
        assertEquals("Succeeded", record.status());
        assertEquals("token-1", record.accepted().path("continuationToken").asText());
        assertEquals("step 1/3 at 10 %: healthy", record.accepted().path("executionDetails").path("summary").asText());
        assertEquals(2, record.answers().size(), "the refused answer is recorded too: " + record.answers());
    }
}
