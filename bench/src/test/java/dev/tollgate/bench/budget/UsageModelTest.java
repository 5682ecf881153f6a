package dev.tollgate.bench.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.aws.AwsCallCounter.CallKey;
import dev.tollgate.aws.AwsCallCounter.Count;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One measured deployment scaled to another shape: ticks, shifts and polls scale, the rest runs once. */
class UsageModelTest {

    /** Two ticks, one shift, one poll, and the once-only states around them. */
    private static final DeploymentLedger LEDGER = new DeploymentLedger(
            Map.of(
                    "ValidateRequest",
                    1,
                    "ShiftTraffic",
                    1,
                    "Bake",
                    2,
                    "Decide",
                    2,
                    "RouteDecision",
                    2,
                    "WaitForCanary",
                    1,
                    "CheckCanaryHealth",
                    1,
                    "IsCanaryHealthy",
                    1,
                    "Promoted",
                    1),
            Map.of("ValidateRequest", 1, "ShiftTraffic", 1, "Decide", 2, "CheckCanaryHealth", 1),
            Map.of(
                    "ValidateRequest",
                    List.of(200.0),
                    "ShiftTraffic",
                    List.of(100.0),
                    "Decide",
                    List.of(90.0, 110.0),
                    "CheckCanaryHealth",
                    List.of(30.0)),
            0);

    private static final Map<String, String> FUNCTIONS = Map.of(
            "ValidateRequest",
            "ValidateRequestFunction",
            "ShiftTraffic",
            "ShiftTrafficFunction",
            "Decide",
            "DecideFunction",
            "CheckCanaryHealth",
            "DeployCanaryFunction");

    private static final Map<CallKey, Count> CALLS = Map.of(
            new CallKey("DecideFunction", "CloudWatch", "GetMetricData"), new Count(2, 2, 12),
            new CallKey("DecideFunction", "CloudWatch", "DescribeAlarms"), new Count(2, 2, 0),
            new CallKey("DecideFunction", "DynamoDb", "UpdateItem"), new Count(2, 2, 0),
            new CallKey("DecideFunction", "DynamoDb", "GetItem"), new Count(2, 2, 0),
            new CallKey("ShiftTrafficFunction", "ElasticLoadBalancingV2", "ModifyListener"), new Count(1, 1, 0));

    private final UsageModel model = new UsageModel(new UsageModel.Measured(LEDGER, CALLS, FUNCTIONS, 1_500, 1024));

    @Test
    void theMeasuredShapeGivesTheMeasuredUsage() {
        DeploymentUsage usage = model.measuredUsage();

        assertEquals(12, usage.stateTransitions(), 1e-9);
        assertEquals(5, usage.lambdaRequests(), 1e-9);
        assertEquals(
                (200 + 100 + 2 * 100 + 30) / 1000.0,
                usage.lambdaGbSeconds(),
                1e-9,
                "medians, whole milliseconds, 1 GB");
        assertEquals(12, usage.metricsRequested(), 1e-9);
        assertEquals(2 * 2, usage.dynamoWriteUnits(), 1e-9, "a 1.5 KB record: two write units a write");
        assertEquals(2, usage.dynamoReadUnits(), 1e-9, "one read unit per 4 KB");
    }

    @Test
    void ticksShiftsAndPollsScaleTheStatesAndCallsTheyRun() {
        DeploymentUsage usage = model.usage(new UsageModel.Shape(20, 3, 4, 1024));

        // once: ValidateRequest, Promoted; 20 ticks x 3 states; 3 shifts; 4 polls x 3 states.
        assertEquals(2 + 60 + 3 + 12, usage.stateTransitions(), 1e-9);
        assertEquals(1 + 20 + 3 + 4, usage.lambdaRequests(), 1e-9);
        assertEquals(20 * 6, usage.metricsRequested(), 1e-9, "six metrics a tick");
        assertEquals(
                20 * 15,
                usage.dynamoWriteUnits(),
                1e-9,
                "the record grows with the ticks: 15 KB, fifteen units a write");
    }

    @Test
    void aTypicalDeploymentHasThirtyTicksThreeShiftsAndItsPolls() {
        UsageModel.Shape typical = UsageModel.Shape.of(4, 600, 60, 12, 1024);

        assertEquals(new UsageModel.Shape(30, 3, 12, 1024), typical);
    }
}
