package dev.tollgate.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.priming.Priming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** SnapStart priming runs a handler's whole path on its sample event, and nothing leaves the JVM. */
class PrimingTest {

    private HttpServer aws;
    private final AtomicInteger requestsReceived = new AtomicInteger();

    @BeforeEach
    void startAws() throws IOException {
        aws = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        aws.createContext("/", exchange -> {
            requestsReceived.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            boolean json = exchange.getRequestHeaders().containsKey("X-Amz-Target");
            byte[] body = (json ? "{}" : "<DescribeAlarmsResponse><DescribeAlarmsResult/></DescribeAlarmsResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", json ? "application/x-amz-json-1.0" : "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        aws.start();
    }

    @AfterEach
    void stopAws() {
        aws.stop(0);
    }

    private FunctionEnvironment environment(boolean withCredentials) {
        Map<String, String> variables = new HashMap<>();
        variables.put("AWS_REGION", "us-east-1");
        variables.put(
                AwsClients.ENDPOINT_URL, "http://127.0.0.1:" + aws.getAddress().getPort());
        if (withCredentials) {
            variables.put("AWS_ACCESS_KEY_ID", "test");
            variables.put("AWS_SECRET_ACCESS_KEY", "test");
        }
        return new FunctionEnvironment(variables);
    }

    /** Reads and writes a record and reads CloudWatch's alarms: calls a real function makes on its first invocation. */
    static final class RecordingHandler extends JsonHandler<JsonNode, Map<String, Object>> {
        private final DynamoDbClient dynamo;
        private final CloudWatchClient cloudWatch;
        final List<String> answered = new ArrayList<>();

        RecordingHandler(AwsClients clients) {
            super(JsonNode.class);
            this.dynamo = clients.build(DynamoDbClient.builder());
            this.cloudWatch = clients.build(CloudWatchClient.builder());
        }

        @Override
        protected String primingEvent() {
            return "approval.json";
        }

        @Override
        protected Map<String, Object> handle(JsonNode event, Context context) {
            String id = event.path("deploymentId").asText();
            dynamo.getItem(get -> get.tableName("deployments").key(Map.of("pk", AttributeValue.fromS(id))));
            answered.add("GetItem");
            dynamo.putItem(put -> put.tableName("deployments").item(Map.of("pk", AttributeValue.fromS(id))));
            answered.add("PutItem");
            cloudWatch.describeAlarms(describe -> describe.alarmNames("checkout-canary-errors"));
            answered.add("DescribeAlarms");
            return Map.of("deploymentId", id);
        }
    }

    @Test
    void primingServesTheSampleEventThroughTheSdkWithoutSendingAnythingOrFetchingCredentials() {
        // No credentials in the environment: resolving them (the SDK's default chain) would fail or reach out.
        RecordingHandler handler = new RecordingHandler(new AwsClients(environment(false)));

        Priming.run(handler::prime);

        List<String> oneRun = List.of("GetItem", "PutItem", "DescribeAlarms");
        List<String> threeRuns = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            threeRuns.addAll(oneRun);
        }
        assertEquals(
                threeRuns,
                handler.answered,
                "every call answered, JSON and query protocols; the sample served three times");
        assertEquals(0, requestsReceived.get(), "nothing reached AWS");
    }

    @Test
    void afterPrimingTheSameClientsReachAws() throws IOException {
        RecordingHandler handler = new RecordingHandler(new AwsClients(environment(true)));
        Priming.run(handler::prime);
        handler.answered.clear();

        handler.handleRequest(
                new ByteArrayInputStream("{\"deploymentId\":\"d-1\"}".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(),
                null);

        assertEquals(List.of("GetItem", "PutItem", "DescribeAlarms"), handler.answered);
        assertEquals(3, requestsReceived.get(), "the real calls went out");
    }

    @Test
    void outsideASnapStartInitNothingIsRegistered() {
        // This JVM is no SnapStart init: building a handler registers no warm-up, so priming everything runs nothing.
        RecordingHandler handler = new RecordingHandler(new AwsClients(environment(true)));

        Priming.primeAll();

        assertTrue(handler.answered.isEmpty());
        assertEquals(0, requestsReceived.get());
    }
}
