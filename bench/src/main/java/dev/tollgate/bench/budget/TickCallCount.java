package dev.tollgate.bench.budget;

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
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * One analysis tick of a spec with many metrics and alarms, through the real CloudWatch adapter
 * against the local stack, with every AWS call counted: the budget is one {@code GetMetricData}
 * and one {@code DescribeAlarms} per tick, whatever the number of metrics.
 */
public final class TickCallCount {

    private TickCallCount() {}

    /** What one tick cost in calls, and the verdict it reached (proof the calls were real). */
    public record Tick(int metrics, int alarms, Map<CallKey, Count> calls, StepVerdict verdict) {

        public long calls(String operation) {
            return calls.entrySet().stream()
                    .filter(call -> call.getKey().operation().equals(operation))
                    .mapToLong(call -> call.getValue().calls())
                    .sum();
        }

        public long metricsRequested() {
            return calls.values().stream().mapToLong(Count::metricsRequested).sum();
        }
    }

    /**
     * {@code spec} (a valid deployment spec as JSON) grown to {@code ratioMetrics} error-rate-like
     * metrics and as many latency-like ones, and {@code alarms} alarms, judged once at its first step.
     */
    public static Tick measure(Map<String, String> awsEnvironment, ObjectNode spec, int ratioMetrics, int alarms) {
        ObjectNode grown = grow(spec, ratioMetrics, alarms);
        DeploymentSpec deploymentSpec = new SpecValidator().validate(grown);
        String function = "one-tick-" + deploymentSpec.analysis().metrics().size() + "-metrics";
        Map<String, String> environment = new HashMap<>(awsEnvironment);
        environment.put(AwsCallCounter.SWITCH, "true");
        environment.put(AwsCallCounter.FUNCTION_NAME, function);
        AwsClients clients = new AwsClients(new FunctionEnvironment(environment));
        int period = deploymentSpec.analysis().periodSeconds();
        Map<CallKey, Count> before = AwsCallCounter.snapshot();
        StepVerdict verdict;
        try (CloudWatchClient cloudWatch = clients.build(CloudWatchClient.builder())) {
            AnalysisService analysis = new AnalysisService(
                    new CloudWatchMetricSource(cloudWatch), new SequentialJudge(), Clock.systemUTC());
            StepProgress progress = StepProgress.started(
                    0, deploymentSpec.step(0).weight(), Instant.now().minusSeconds(10L * period), period);
            verdict = analysis.analyse(deploymentSpec, progress);
        }
        Map<CallKey, Count> calls = new HashMap<>();
        AwsCallCounter.since(before).forEach((key, count) -> {
            if (key.function().equals(function)) {
                calls.put(key, count);
            }
        });
        return new Tick(
                deploymentSpec.analysis().metrics().size(),
                deploymentSpec.analysis().alarms().size(),
                calls,
                verdict);
    }

    /** Copies of the spec's first two metrics (a ratio and a statistic) under new names, and more alarm names. */
    static ObjectNode grow(ObjectNode spec, int copies, int alarms) {
        ObjectNode grown = spec.deepCopy();
        ArrayNode metrics = (ArrayNode) grown.path("analysis").path("metrics");
        ObjectNode ratio = (ObjectNode) metrics.get(0).deepCopy();
        ObjectNode statistic = (ObjectNode) metrics.get(1).deepCopy();
        for (int copy = 1; copy < copies; copy++) {
            metrics.add(ratio.deepCopy()
                    .put("name", ratio.path("name").asText() + "-" + copy)
                    .put("critical", false));
            metrics.add(statistic.deepCopy().put("name", statistic.path("name").asText() + "-" + copy));
        }
        ArrayNode names = (ArrayNode) grown.path("analysis").path("alarms");
        for (int alarm = names.size(); alarm < alarms; alarm++) {
            names.add("tollgate-bench-alarm-" + alarm);
        }
        return grown;
    }
}
