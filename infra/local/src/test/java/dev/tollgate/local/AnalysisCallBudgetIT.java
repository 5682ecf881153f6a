package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.AwsCallCounter;
import dev.tollgate.aws.AwsCallCounter.CallKey;
import dev.tollgate.aws.AwsCallCounter.Count;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.json.Json;
import dev.tollgate.local.SamTemplate.FunctionDefinition;
import dev.tollgate.local.runtime.FunctionConfiguration;
import dev.tollgate.local.runtime.FunctionJars;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The API budget of an analysis tick, measured on the real Decide function (one Task per tick): its
 * handler in its own JVM under the runtime interface client, reading CloudWatch (moto), every AWS call
 * counted by the SDK interceptor the local stack switches on and published by that JVM. One
 * GetMetricData and one DescribeAlarms per tick, whatever the number of metrics and alarms.
 */
class AnalysisCallBudgetIT {

    /** DecideFunction deployed again under a name of its own, so that no other test's tick adds to its counts. */
    private static final String FUNCTION = "AnalysisCallBudgetFunction";

    @Test
    void oneTickOfFortyMetricsAndTwelveAlarmsMakesOneGetMetricDataAndOneDescribeAlarms() throws Exception {
        LocalStack stack = SharedLocalStack.get();
        deployDecideAs(stack, FUNCTION);
        try (ScenarioRun.Release release = new ScenarioRun(
                        stack, new PrintStream(java.io.OutputStream.nullOutputStream()))
                .prepare(Scenario.GOOD, "callbudget", 11)) {
            DeploymentSpec spec = new SpecValidator().validate(withManyMetricsAndAlarms(release.spec(), 20, 12));
            // A period of traffic first, so that the tick reads real series.
            Thread.sleep(DemoSpecs.PERIOD_SECONDS * 1000L + 1500);
            Map<CallKey, Count> before = stack.awsCallCounts();

            JsonNode verdict = tick(stack, spec).path("verdict");

            Map<String, Count> calls = new HashMap<>();
            AwsCallCounter.between(before, stack.awsCallCounts()).forEach((key, count) -> {
                // The tick also reads and notes the deployment's record (DynamoDB); the budget here is CloudWatch's.
                if (key.function().equals(FUNCTION) && key.service().equals("CloudWatch")) {
                    calls.put(key.service() + ":" + key.operation(), count);
                }
            });
            assertEquals(40, spec.analysis().metrics().size());
            // A ratio reads numerator and denominator on both sides; a percentile its value and SampleCount on both.
            assertEquals(
                    Map.of(
                            "CloudWatch:GetMetricData",
                            new Count(1, 1, 20 * 4 + 20 * 4),
                            "CloudWatch:DescribeAlarms",
                            new Count(1, 1, 0)),
                    calls);
            assertEquals(
                    40 + 1 + 12,
                    verdict.path("checks").size(),
                    "a check per metric, the SLO burn rate and each alarm: " + verdict);
        }
    }

    /** The template's DecideFunction (handler, jar, memory, timeout, environment) under another name. */
    private static void deployDecideAs(LocalStack stack, String name) {
        FunctionDefinition decide =
                SamTemplate.read(RepositoryFiles.template()).functions().get("DecideFunction");
        Map<String, String> environment =
                new HashMap<>(stack.functionEnvironments().get("DecideFunction").variables());
        environment.put(AwsCallCounter.FUNCTION_NAME, name);
        stack.lambdaEndpoint()
                .deploy(new FunctionConfiguration(
                        name,
                        LocalStack.functionArn(name),
                        decide.handler(),
                        FunctionJars.locate(RepositoryFiles.root(), decide.handlerClass()),
                        decide.memoryMb(),
                        decide.timeoutSeconds(),
                        decide.logFormat(),
                        decide.applicationLogLevel(),
                        environment));
    }

    /** One invocation through the local Lambda endpoint, as the state machine makes it. */
    private static JsonNode tick(LocalStack stack, DeploymentSpec spec) {
        int period = spec.analysis().periodSeconds();
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.set("spec", Json.MAPPER.valueToTree(spec));
        event.set(
                "progress",
                Json.MAPPER.valueToTree(StepProgress.started(
                        0, spec.step(0).weight(), Instant.now().minusSeconds(3L * period), period)));
        event.put("tickStartedAt", Instant.now().toString());
        // A cold start under load can take tens of seconds: the client waits as Step Functions does.
        try (LambdaClient lambda = LambdaClient.builder()
                .region(Region.of(LocalStack.REGION))
                .endpointOverride(stack.lambdaEndpoint().uri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofMinutes(3))
                        .build())
                .overrideConfiguration(override -> override.apiCallTimeout(Duration.ofMinutes(3)))
                .build()) {
            InvokeResponse response =
                    lambda.invoke(invoke -> invoke.functionName(LocalStack.functionArn(FUNCTION) + ":live")
                            .payload(SdkBytes.fromUtf8String(Json.write(event))));
            assertNull(response.functionError(), response.payload().asUtf8String());
            return Json.tree(response.payload().asUtf8String());
        }
    }

    /** The demo spec's error rate and p95 latency, each {@code copies} times under new names, and {@code alarms} alarm names. */
    private static ObjectNode withManyMetricsAndAlarms(ObjectNode demo, int copies, int alarms) {
        ObjectNode spec = demo.deepCopy();
        ArrayNode metrics = (ArrayNode) spec.path("analysis").path("metrics");
        ObjectNode ratio = (ObjectNode) metrics.get(0).deepCopy();
        ObjectNode statistic = (ObjectNode) metrics.get(1).deepCopy();
        for (int copy = 1; copy < copies; copy++) {
            metrics.add(ratio.deepCopy().put("name", "error-rate-" + copy));
            metrics.add(statistic.deepCopy().put("name", "p95-latency-" + copy));
        }
        ArrayNode names = (ArrayNode) spec.path("analysis").path("alarms");
        while (names.size() < alarms) {
            names.add("callbudget-alarm-" + names.size());
        }
        return spec;
    }
}
