package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.aws.AwsCallCounter.CallKey;
import dev.tollgate.aws.AwsCallCounter.Count;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** The call counter the local stack switches on: calls, attempts (retries) and metrics requested, by function. */
class AwsCallCounterTest {

    private HttpServer server;
    private final AtomicInteger failuresToAnswer = new AtomicInteger();

    @BeforeEach
    void startAws() throws IOException {
        // A stand-in for AWS on a free loopback port: DynamoDB's JSON and CloudWatch's query protocol answers.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean json = exchange.getRequestHeaders().containsKey("X-Amz-Target");
            int status = failuresToAnswer.getAndDecrement() > 0 ? 500 : 200;
            String body = json
                    ? (status == 500 ? "{\"__type\":\"InternalServerError\",\"message\":\"try again\"}" : "{}")
                    : "<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><GetMetricDataResult>"
                            + "<MetricDataResults/></GetMetricDataResult></GetMetricDataResponse>";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", json ? "application/x-amz-json-1.0" : "text/xml");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopAws() {
        server.stop(0);
    }

    private AwsClients clients(String function, boolean counting) {
        return clients(function, counting, Map.of());
    }

    private AwsClients clients(String function, boolean counting, Map<String, String> more) {
        Map<String, String> environment = new HashMap<>(more);
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        environment.put(
                AwsClients.ENDPOINT_URL,
                "http://127.0.0.1:" + server.getAddress().getPort());
        environment.put(AwsCallCounter.FUNCTION_NAME, function);
        if (counting) {
            environment.put(AwsCallCounter.SWITCH, "true");
        }
        return new AwsClients(new FunctionEnvironment(environment));
    }

    @Test
    void aRetriedCallIsOneCallAndTwoAttemptsUnderItsFunctionServiceAndOperation() {
        Map<CallKey, Count> before = AwsCallCounter.snapshot();
        failuresToAnswer.set(1);
        try (DynamoDbClient dynamo = clients("counter-test-retry", true).build(DynamoDbClient.builder())) {
            dynamo.getItem(get -> get.tableName("deployments").key(Map.of("pk", AttributeValue.fromS("x"))));
            dynamo.getItem(get -> get.tableName("deployments").key(Map.of("pk", AttributeValue.fromS("y"))));
        }

        Map<CallKey, Count> counted = AwsCallCounter.since(before);

        assertEquals(Map.of(new CallKey("counter-test-retry", "DynamoDb", "GetItem"), new Count(2, 3, 0)), counted);
    }

    @Test
    void getMetricDataCountsEveryQueryAsAMetricRequested() {
        Map<CallKey, Count> before = AwsCallCounter.snapshot();
        try (CloudWatchClient cloudWatch = clients("counter-test-metrics", true).build(CloudWatchClient.builder())) {
            cloudWatch.getMetricData(get -> get.startTime(java.time.Instant.EPOCH)
                    .endTime(java.time.Instant.EPOCH.plusSeconds(60))
                    .metricDataQueries(query("a"), query("b"), query("c")));
        }

        assertEquals(
                Map.of(new CallKey("counter-test-metrics", "CloudWatch", "GetMetricData"), new Count(1, 1, 3)),
                AwsCallCounter.since(before));
    }

    @Test
    void withoutTheSwitchNothingIsCounted() {
        Map<CallKey, Count> before = AwsCallCounter.snapshot();
        try (DynamoDbClient dynamo = clients("counter-test-off", false).build(DynamoDbClient.builder())) {
            dynamo.getItem(get -> get.tableName("deployments").key(Map.of("pk", AttributeValue.fromS("x"))));
        }

        assertTrue(AwsCallCounter.since(before).keySet().stream()
                .noneMatch(key -> key.function().equals("counter-test-off")));
    }

    @Test
    void theCallsLogNamesFunctionServiceOperationAndResourcesButNoValue(@TempDir Path directory) throws IOException {
        Path callsFile = directory.resolve("aws-calls.jsonl");
        try (DynamoDbClient dynamo = clients(
                        "counter-test-log", false, Map.of(AwsCallCounter.CALLS_FILE, callsFile.toString()))
                .build(DynamoDbClient.builder())) {
            dynamo.putItem(put -> put.tableName("deployments")
                    .item(Map.of(
                            "pk",
                            AttributeValue.fromS("DEPLOYMENT#v42"),
                            "note",
                            AttributeValue.fromS("a value that stays out of the log"))));
            failuresToAnswer.set(10);
            assertThrows(
                    DynamoDbException.class,
                    () -> dynamo.getItem(
                            get -> get.tableName("locks").key(Map.of("pk", AttributeValue.fromS("LOCK#checkout")))));
        }

        List<String> lines = Files.readAllLines(callsFile);
        assertEquals(2, lines.size(), String.join("\n", lines));
        JsonNode put = Json.tree(lines.get(0));
        assertEquals("counter-test-log", put.path("function").asText());
        assertEquals("DynamoDb", put.path("service").asText());
        assertEquals("PutItem", put.path("operation").asText());
        assertEquals("deployments", put.path("request").path("TableName").asText());
        assertFalse(lines.get(0).contains("DEPLOYMENT#v42") || lines.get(0).contains("stays out"), lines.get(0));
        JsonNode failed = Json.tree(lines.get(1));
        assertEquals("locks", failed.path("request").path("TableName").asText());
        assertEquals("InternalServerError", failed.path("error").asText());
    }

    @Test
    void theCallsLogNamesTheResourcesInsideARequestsObjectsAndTagKeysButNotTagValues() {
        var request = software.amazon.awssdk.services.ecs.model.RunTaskRequest.builder()
                .cluster("prod")
                .taskDefinition("checkout-migrate:7")
                .overrides(overrides -> overrides.taskRoleArn("arn:aws:iam::123456789012:role/app"))
                .tags(tag -> tag.key("tollgate:deployment").value("checkout-v42"))
                .build();

        Map<String, Object> identifiers = AwsCallLog.identifiers(request, true, true);

        assertEquals("prod", identifiers.get("cluster"));
        assertEquals("checkout-migrate:7", identifiers.get("taskDefinition"));
        assertEquals("arn:aws:iam::123456789012:role/app", identifiers.get("overrides.taskRoleArn"));
        assertEquals(List.of("tollgate:deployment"), identifiers.get("tagKeys"));
        assertFalse(identifiers.toString().contains("checkout-v42"), identifiers.toString());
    }

    @Test
    void withACountsDirectoryEachCallIsPublishedForTheLocalStackToAddUp(@TempDir Path directory) {
        failuresToAnswer.set(1);
        try (DynamoDbClient dynamo = clients(
                        "counter-test-published", true, Map.of(AwsCallCountFiles.DIRECTORY, directory.toString()))
                .build(DynamoDbClient.builder())) {
            dynamo.getItem(get -> get.tableName("deployments").key(Map.of("pk", AttributeValue.fromS("x"))));
            dynamo.getItem(get -> get.tableName("deployments").key(Map.of("pk", AttributeValue.fromS("y"))));
        }

        assertTrue(Files.isRegularFile(directory.resolve(
                "counter-test-published-" + ProcessHandle.current().pid() + ".json")));
        assertEquals(
                new Count(2, 3, 0),
                AwsCallCountFiles.read(directory).get(new CallKey("counter-test-published", "DynamoDb", "GetItem")));
    }

    @Test
    void countsReadFromSeveralProcessesAddUp(@TempDir Path directory) throws IOException {
        String counts = "[{\"function\":\"F\",\"service\":\"CloudWatch\",\"operation\":\"GetMetricData\",\"calls\":%d,"
                + "\"attempts\":%d,\"metricsRequested\":%d}]";
        Files.writeString(directory.resolve("F-100.json"), String.format(counts, 2, 3, 8));
        Files.writeString(directory.resolve("F-200.json"), String.format(counts, 1, 1, 4));

        assertEquals(
                Map.of(new CallKey("F", "CloudWatch", "GetMetricData"), new Count(3, 4, 12)),
                AwsCallCountFiles.read(directory));
    }

    private static MetricDataQuery query(String id) {
        return MetricDataQuery.builder()
                .id(id)
                .metricStat(stat -> stat.period(60)
                        .stat("Sum")
                        .metric(metric -> metric.namespace("App").metricName("Requests")))
                .build();
    }
}
