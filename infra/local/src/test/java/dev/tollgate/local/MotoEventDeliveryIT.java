package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Events between the local stack's services, as AWS delivers them: Step Functions' execution status changes on the
 * default bus ({@code emit_stepfunctions_status_events} in moto_ext/stepfunctions.py), and a rule's Lambda function target
 * ({@code deliver_events_to_lambda_targets} in moto_ext/events.py).
 */
class MotoEventDeliveryIT {

    private static final String ROLE = "arn:aws:iam::123456789012:role/probe";
    private static final String STATUS_CHANGE = "Step Functions Execution Status Change";

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    /** https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html */
    @Test
    void everyExecutionPutsRunningThenOneEndingStatusChangeOnTheDefaultBusAsOnAws() throws Exception {
        SfnClient sfn = stack.sfn();
        String succeeds = machine(
                sfn,
                "probe-status-succeeds",
                "{\"StartAt\":\"Echo\",\"States\":{\"Echo\":{\"Type\":\"Pass\",\"Parameters\":{\"echo.$\":\"$.word\"},\"End\":true}}}");
        String fails = machine(
                sfn,
                "probe-status-fails",
                "{\"StartAt\":\"Broken\",\"States\":{\"Broken\":{\"Type\":\"Fail\",\"Error\":\"Broken\",\"Cause\":\"on purpose\"}}}");
        String waits = machine(
                sfn,
                "probe-status-waits",
                "{\"StartAt\":\"Wait\",\"States\":{\"Wait\":{\"Type\":\"Wait\",\"Seconds\":120,\"End\":true}}}");
        String timesOut = machine(
                sfn,
                "probe-status-times-out",
                "{\"TimeoutSeconds\":1,\"StartAt\":\"Wait\",\"States\":{\"Wait\":{\"Type\":\"Wait\",\"Seconds\":30,\"End\":true}}}");
        String child = machine(
                sfn,
                "probe-status-child",
                "{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Pass\",\"Result\":{\"child\":\"done\"},\"End\":true}}}");
        String parent = machine(
                sfn,
                "probe-status-parent",
                "{\"StartAt\":\"Child\",\"States\":{\"Child\":{\"Type\":\"Task\","
                        + "\"Resource\":\"arn:aws:states:::states:startExecution.sync:2\",\"Parameters\":{\"StateMachineArn\":\""
                        + child
                        + "\",\"Name\":\"probe-status-child-1\",\"Input\":{\"from\":\"parent\"}},\"End\":true}}}");
        Queue queue = Queue.create("probe-sfn-status");
        try (EventBridgeClient events = stack.clients().build(EventBridgeClient.builder())) {
            // No eventBusName: the default bus, where Step Functions puts its events.
            events.putRule(rule -> rule.name("probe-sfn-status")
                    .eventPattern("{\"source\":[\"aws.states\"],\"detail-type\":[\""
                            + STATUS_CHANGE + "\"],\"detail\":{\"stateMachineArn\":[\""
                            + String.join("\",\"", succeeds, fails, waits, timesOut, child, parent)
                            + "\"]}}"));
            events.putTargets(targets -> targets.rule("probe-sfn-status")
                    .targets(target -> target.id("queue").arn(queue.arn())));
        }

        String succeeded = sfn.startExecution(start ->
                        start.stateMachineArn(succeeds).name("probe-s-1").input("{\"word\":\"hi\"}"))
                .executionArn();
        String failed = sfn.startExecution(start -> start.stateMachineArn(fails).name("probe-f-1"))
                .executionArn();
        String stopped = sfn.startExecution(
                        start -> start.stateMachineArn(waits).name("probe-w-1").input("{\"n\":1}"))
                .executionArn();
        String timedOut = sfn.startExecution(
                        start -> start.stateMachineArn(timesOut).name("probe-t-1"))
                .executionArn();
        String parentRun = sfn.startExecution(
                        start -> start.stateMachineArn(parent).name("probe-p-1"))
                .executionArn();
        String childRun = "arn:aws:states:" + LocalStack.REGION + ":" + LocalStack.ACCOUNT
                + ":execution:probe-status-child:probe-status-child-1";
        queue.await(
                all -> all.stream()
                        .anyMatch(event -> stopped.equals(
                                event.path("detail").path("executionArn").asText())),
                30);
        sfn.stopExecution(stop -> stop.executionArn(stopped));

        List<String> executions = List.of(succeeded, failed, stopped, timedOut, parentRun, childRun);
        List<JsonNode> received = queue.await(
                all -> executions.stream()
                        .allMatch(arn -> all.stream()
                                .anyMatch(event -> arn.equals(event.path("detail")
                                                .path("executionArn")
                                                .asText())
                                        && !"RUNNING"
                                                .equals(event.path("detail")
                                                        .path("status")
                                                        .asText()))),
                60);
        // Anything more (a second ending) would arrive within moments.
        Thread.sleep(1_500);
        received = queue.drain();
        Map<String, List<JsonNode>> byExecution = received.stream()
                .collect(Collectors.groupingBy(
                        event -> event.path("detail").path("executionArn").asText(),
                        LinkedHashMap::new,
                        Collectors.toList()));
        assertEquals(
                executions.size(),
                byExecution.size(),
                "the executions whose status changes arrived: " + byExecution.keySet());

        for (String execution : executions) {
            List<JsonNode> changes = byExecution.get(execution);
            DescribeExecutionResponse described = sfn.describeExecution(d -> d.executionArn(execution));
            assertEquals(
                    List.of("RUNNING", described.statusAsString()),
                    changes.stream()
                            .map(event -> event.path("detail").path("status").asText())
                            .toList(),
                    execution + ": " + changes);
            for (JsonNode event : changes) {
                assertEquals("aws.states", event.path("source").asText());
                assertEquals(STATUS_CHANGE, event.path("detail-type").asText());
                assertEquals(LocalStack.REGION, event.path("region").asText());
                assertEquals(
                        List.of(execution),
                        List.of(event.path("resources").path(0).asText()),
                        event.toString());
                assertEquals(1, event.path("resources").size(), event.toString());
                Instant.parse(event.path("time").asText());
                JsonNode detail = event.path("detail");
                assertEquals(execution, detail.path("executionArn").asText());
                assertEquals(
                        described.stateMachineArn(),
                        detail.path("stateMachineArn").asText());
                assertEquals(described.name(), detail.path("name").asText());
                assertEquals(described.input(), detail.path("input").asText(), event.toString());
                assertTrue(detail.path("inputDetails").path("included").asBoolean(), event.toString());
                assertTrue(detail.path("startDate").isIntegralNumber(), "epoch milliseconds: " + event);
                assertEquals(
                        described.startDate().toEpochMilli(),
                        detail.path("startDate").asLong(),
                        1.0,
                        event.toString());
            }
            JsonNode running = changes.get(0).path("detail");
            assertTrue(running.path("stopDate").isNull(), running.toString());
            assertTrue(running.path("output").isNull(), running.toString());
            JsonNode ended = changes.get(1).path("detail");
            assertTrue(ended.path("stopDate").isIntegralNumber(), ended.toString());
            assertTrue(
                    ended.path("stopDate").asLong() >= ended.path("startDate").asLong(), ended.toString());
            if (described.stopDate() != null) {
                // moto's DescribeExecution leaves stopDate out for TIMED_OUT.
                assertEquals(
                        described.stopDate().toEpochMilli(),
                        ended.path("stopDate").asLong(),
                        1.0,
                        ended.toString());
            }
        }

        JsonNode success = byExecution.get(succeeded).get(1).path("detail");
        assertEquals("SUCCEEDED", success.path("status").asText());
        assertEquals("{\"word\":\"hi\"}", success.path("input").asText());
        assertEquals(
                "hi", Json.tree(success.path("output").asText()).path("echo").asText(), success.toString());
        assertTrue(success.path("outputDetails").path("included").asBoolean(), success.toString());
        assertFalse(success.has("error"), success.toString());

        JsonNode failure = byExecution.get(failed).get(1).path("detail");
        assertEquals("FAILED", failure.path("status").asText());
        assertEquals("Broken", failure.path("error").asText(), failure.toString());
        assertEquals("on purpose", failure.path("cause").asText(), failure.toString());
        assertTrue(failure.path("output").isNull(), failure.toString());

        JsonNode abort = byExecution.get(stopped).get(1).path("detail");
        assertEquals("ABORTED", abort.path("status").asText());
        assertEquals("{\"n\":1}", abort.path("input").asText());
        assertTrue(abort.path("output").isNull(), abort.toString());

        JsonNode timeout = byExecution.get(timedOut).get(1).path("detail");
        assertEquals("TIMED_OUT", timeout.path("status").asText());
        assertTrue(
                timeout.path("stopDate").asLong() - timeout.path("startDate").asLong() >= 1_000,
                "TimeoutSeconds 1: " + timeout);
        assertTrue(timeout.path("output").isNull(), timeout.toString());

        JsonNode childEnd = byExecution.get(childRun).get(1).path("detail");
        assertEquals("SUCCEEDED", childEnd.path("status").asText());
        assertEquals(
                Json.tree("{\"from\":\"parent\"}"),
                Json.tree(childEnd.path("input").asText()),
                childEnd.toString());
        assertEquals(
                Json.tree("{\"child\":\"done\"}"),
                Json.tree(childEnd.path("output").asText()),
                childEnd.toString());
        assertEquals(
                "SUCCEEDED",
                byExecution.get(parentRun).get(1).path("detail").path("status").asText());
    }

    @Test
    void theLocalLambdaEndpointHandsAFunctionItDoesNotRunToMotosInvoke() {
        String function = LambdaAliasFixture.createPythonFunction(
                stack, "probe-forwarded", "def handler(event, context):\n    return {'seen': event.get('ping')}\n", 10);
        try (LambdaClient lambda = LambdaClient.builder()
                .region(Region.of(LocalStack.REGION))
                .endpointOverride(stack.lambdaEndpoint().uri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            var answered = lambda.invoke(
                    invoke -> invoke.functionName(function).payload(SdkBytes.fromUtf8String("{\"ping\": \"pong\"}")));
            assertNull(answered.functionError());
            assertEquals(
                    "pong",
                    Json.tree(answered.payload().asUtf8String()).path("seen").asText());
            var queued = lambda.invoke(invoke ->
                    invoke.functionName(function).invocationType("Event").payload(SdkBytes.fromUtf8String("{}")));
            assertEquals(202, queued.statusCode(), "an asynchronous invocation is accepted, as Lambda answers it");
        }
    }

    /** https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html, Input and InputPath of a target */
    @Test
    void aRulesLambdaTargetReceivesTheEventWholeOrAsItsInputPathOrInputSay() throws Exception {
        Queue received = Queue.create("probe-lambda-target-received");
        String function = recordingFunction("probe-event-target", received);
        String missing =
                "arn:aws:lambda:" + LocalStack.REGION + ":" + LocalStack.ACCOUNT + ":function:probe-no-such-function";
        try (EventBridgeClient events = stack.clients().build(EventBridgeClient.builder())) {
            events.putRule(
                    rule -> rule.name("probe-lambda-target").eventPattern("{\"source\":[\"probe.lambda-target\"]}"));
            events.putTargets(targets -> targets.rule("probe-lambda-target")
                    .targets(
                            Target.builder().id("whole").arn(function).build(),
                            Target.builder()
                                    .id("path")
                                    .arn(function)
                                    .inputPath("$.detail")
                                    .build(),
                            Target.builder()
                                    .id("constant")
                                    .arn(function)
                                    .input("{\"constant\":\"as written\"}")
                                    .build(),
                            Target.builder().id("missing").arn(missing).build()));

            PutEventsResponse put =
                    events.putEvents(request -> request.entries(entry -> entry.source("probe.lambda-target")
                            .detailType("Probe")
                            .detail("{\"n\":7}")
                            .resources("arn:aws:probe:::thing")));
            assertEquals(0, put.failedEntryCount(), "delivery happens after PutEvents, whatever becomes of it: " + put);
            String eventId = put.entries().get(0).eventId();

            List<JsonNode> got = received.await(all -> all.size() >= 3, 60);
            JsonNode whole = got.stream()
                    .filter(event -> event.has("detail-type"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(got));
            assertEquals(eventId, whole.path("id").asText());
            assertEquals("0", whole.path("version").asText());
            assertEquals("Probe", whole.path("detail-type").asText());
            assertEquals("probe.lambda-target", whole.path("source").asText());
            assertEquals(LocalStack.ACCOUNT, whole.path("account").asText());
            assertEquals(LocalStack.REGION, whole.path("region").asText());
            assertEquals(
                    "arn:aws:probe:::thing", whole.path("resources").path(0).asText());
            assertEquals(7, whole.path("detail").path("n").asInt());
            Instant.parse(whole.path("time").asText());
            assertTrue(
                    got.stream()
                            .anyMatch(event ->
                                    event.size() == 1 && event.path("n").asInt() == 7),
                    "InputPath $.detail: " + got);
            assertTrue(
                    got.stream()
                            .anyMatch(event ->
                                    "as written".equals(event.path("constant").asText())),
                    "Input: " + got);
            Thread.sleep(1_000);
            assertEquals(3, received.drain().size(), "one invocation per target and event");
        }
    }

    @Test
    void anExecutionsStatusChangesReachALambdaTargetOfARuleOnTheDefaultBus() throws Exception {
        SfnClient sfn = stack.sfn();
        String machine = machine(
                sfn,
                "probe-status-to-lambda",
                "{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Pass\",\"End\":true}}}");
        Queue received = Queue.create("probe-status-to-lambda-received");
        String function = recordingFunction("probe-status-target", received);
        try (EventBridgeClient events = stack.clients().build(EventBridgeClient.builder())) {
            events.putRule(rule -> rule.name("probe-status-to-lambda")
                    .eventPattern("{\"source\":[\"aws.states\"],\"detail\":" + "{\"stateMachineArn\":[\"" + machine
                            + "\"],\"status\":[\"SUCCEEDED\"]}}"));
            events.putTargets(targets -> targets.rule("probe-status-to-lambda")
                    .targets(target -> target.id("function").arn(function).inputPath("$.detail")));
        }

        String execution = sfn.startExecution(
                        start -> start.stateMachineArn(machine).input("{\"release\":\"v42\"}"))
                .executionArn();

        List<JsonNode> got = received.await(all -> !all.isEmpty(), 60);
        assertEquals(1, got.size(), got.toString());
        assertEquals(execution, got.get(0).path("executionArn").asText(), got.toString());
        assertEquals("SUCCEEDED", got.get(0).path("status").asText(), got.toString());
        assertEquals(
                Json.tree("{\"release\":\"v42\"}"),
                Json.tree(got.get(0).path("output").asText()),
                got.toString());
    }

    /** A Python function (run in moto's process, run_python_functions_in_process) that passes each event it gets on to {@code queue}. */
    private static String recordingFunction(String name, Queue queue) {
        return LambdaAliasFixture.createPythonFunction(
                stack,
                name,
                "import json, os\nimport boto3\n"
                        + "def handler(event, context):\n"
                        + "    sqs = boto3.session.Session().client('sqs', region_name='us-east-1', aws_access_key_id='local',\n"
                        + "        aws_secret_access_key='local', endpoint_url='http://127.0.0.1:' + os.environ['MOTO_PORT'])\n"
                        + "    sqs.send_message(QueueUrl='" + queue.url() + "', MessageBody=json.dumps(event))\n"
                        + "    return {}\n",
                10);
    }

    private static String machine(SfnClient sfn, String name, String definition) {
        return sfn.createStateMachine(create -> create.name(name).roleArn(ROLE).definition(definition))
                .stateMachineArn();
    }

    /** An SQS queue in moto, and what has arrived on it so far (each message's body as JSON), oldest first. */
    private record Queue(SqsClient sqs, String url, String arn, List<JsonNode> messages) {

        static Queue create(String name) {
            SqsClient sqs = stack.clients().build(SqsClient.builder());
            String url = sqs.createQueue(create -> create.queueName(name)).queueUrl();
            return new Queue(
                    sqs,
                    url,
                    "arn:aws:sqs:" + LocalStack.REGION + ":" + LocalStack.ACCOUNT + ":" + name,
                    new ArrayList<>());
        }

        /** Everything received so far, once {@code done} holds for it or after {@code seconds}. */
        List<JsonNode> await(Predicate<List<JsonNode>> done, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (!done.test(drain()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            return List.copyOf(messages);
        }

        /** Receives what is waiting, adds it to what has arrived, and answers with all of it. */
        List<JsonNode> drain() {
            List<software.amazon.awssdk.services.sqs.model.Message> batch;
            do {
                batch = sqs.receiveMessage(receive -> receive.queueUrl(url).maxNumberOfMessages(10))
                        .messages();
                for (var message : batch) {
                    messages.add(Json.tree(message.body()));
                    sqs.deleteMessage(delete -> delete.queueUrl(url).receiptHandle(message.receiptHandle()));
                }
            } while (!batch.isEmpty());
            return List.copyOf(messages);
        }
    }
}
