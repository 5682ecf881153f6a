package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.aws.AwsCallCounter;
import dev.tollgate.aws.AwsCallCounter.CallKey;
import dev.tollgate.aws.AwsCallCounter.Count;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.metrics.CloudWatchMetricSource;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The API budget of an analysis tick, on CloudWatch (moto) through the real adapter, counted by the
 * SDK interceptor the local stack switches on: one GetMetricData and one DescribeAlarms per tick,
 * whatever the number of metrics and alarms.
 */
class AnalysisCallBudgetIT {

    private static final String FUNCTION = "analysis-call-budget-it";

    @Test
    void oneTickOfFortyMetricsAndTwelveAlarmsMakesOneGetMetricDataAndOneDescribeAlarms() throws Exception {
        LocalStack stack = SharedLocalStack.get();
        try (ScenarioRun.Release release = new ScenarioRun(stack, new PrintStream(java.io.OutputStream.nullOutputStream()))
                .prepare(Scenario.GOOD, "callbudget", 11)) {
            DeploymentSpec spec = new SpecValidator().validate(withManyMetricsAndAlarms(release.spec(), 20, 12));
            // A period of traffic first, so that the tick reads real series.
            Thread.sleep(DemoSpecs.PERIOD_SECONDS * 1000L + 1500);
            Map<CallKey, Count> before = AwsCallCounter.snapshot();

            StepVerdict verdict = tick(stack, spec);

            Map<String, Count> calls = new HashMap<>();
            AwsCallCounter.since(before).forEach((key, count) -> {
                if (key.function().equals(FUNCTION)) {
                    calls.put(key.service() + ":" + key.operation(), count);
                }
            });
            assertEquals(40, spec.analysis().metrics().size());
            assertEquals(Map.of("CloudWatch:GetMetricData", new Count(1, 1, 20 * 4 + 20 * 2),
                    "CloudWatch:DescribeAlarms", new Count(1, 1, 0)), calls);
            assertEquals(40 + 1 + 12, verdict.checks().size(), "a check per metric, the SLO burn rate and each alarm: " + verdict.checks());
        }
    }

    private static StepVerdict tick(LocalStack stack, DeploymentSpec spec) {
        Map<String, String> environment = new HashMap<>(stack.functionEnvironments().get("DecideFunction").variables());
        environment.put(AwsCallCounter.FUNCTION_NAME, FUNCTION);
        AwsClients clients = new AwsClients(new FunctionEnvironment(environment));
        try (CloudWatchClient cloudWatch = clients.build(CloudWatchClient.builder())) {
            AnalysisService analysis = new AnalysisService(new CloudWatchMetricSource(cloudWatch), new SequentialJudge(), Clock.systemUTC());
            int period = spec.analysis().periodSeconds();
            return analysis.analyse(spec, new StepProgress(0, spec.step(0).weight(), Instant.now().minusSeconds(3L * period), period));
        }
    }

    /** The demo spec's error rate and p99 latency, each {@code copies} times under new names, and {@code alarms} alarm names. */
    private static ObjectNode withManyMetricsAndAlarms(ObjectNode demo, int copies, int alarms) {
        ObjectNode spec = demo.deepCopy();
        ArrayNode metrics = (ArrayNode) spec.path("analysis").path("metrics");
        ObjectNode ratio = (ObjectNode) metrics.get(0).deepCopy();
        ObjectNode statistic = (ObjectNode) metrics.get(1).deepCopy();
        for (int copy = 1; copy < copies; copy++) {
            metrics.add(ratio.deepCopy().put("name", "error-rate-" + copy));
            metrics.add(statistic.deepCopy().put("name", "p99-latency-" + copy));
        }
        ArrayNode names = (ArrayNode) spec.path("analysis").path("alarms");
        while (names.size() < alarms) {
            names.add("callbudget-alarm-" + names.size());
        }
        return spec;
    }
}
