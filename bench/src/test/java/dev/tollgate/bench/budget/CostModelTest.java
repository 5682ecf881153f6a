package dev.tollgate.bench.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.bench.budget.CostModel.Cost;
import dev.tollgate.bench.budget.CostModel.LineItem;
import org.junit.jupiter.api.Test;

/** The cost model: each billed dimension at its public price, and their sum. */
class CostModelTest {

    private static final double CENT = 0.01;

    @Test
    void pricesEachDimensionAtItsPublicPrice() {
        DeploymentUsage usage =
                new DeploymentUsage(1_000, 1_000_000, 1, 1_000, 1_000_000, 1_000_000, 10_000, 1_000, 1_000, 1_000_000);

        Cost cost = CostModel.cost(usage, Prices.US_EAST_1);

        assertEquals(0.025, dollars(cost, "Step Functions state transitions"), 1e-12, "$0.025 per 1,000 transitions");
        assertEquals(0.20, dollars(cost, "Lambda requests"), 1e-12, "$0.20 per million requests");
        assertEquals(0.0000166667, dollars(cost, "Lambda duration"), 1e-15, "per GB-second");
        assertEquals(0.01, dollars(cost, "CloudWatch GetMetricData"), 1e-12, "$0.01 per 1,000 metrics requested");
        assertEquals(0.625, dollars(cost, "DynamoDB writes"), 1e-12, "$0.625 per million write units");
        assertEquals(0.125, dollars(cost, "DynamoDB reads"), 1e-12, "$0.125 per million read units");
        assertEquals(0.05, dollars(cost, "Secrets Manager API"), 1e-12, "$0.05 per 10,000 calls");
        assertEquals(0.0004, dollars(cost, "S3 GET"), 1e-12);
        assertEquals(0.005, dollars(cost, "S3 LIST"), 1e-12);
        assertEquals(1.00, dollars(cost, "EventBridge events"), 1e-12, "$1.00 per million events");
        assertEquals(cost.items().stream().mapToDouble(LineItem::dollars).sum(), cost.total(), 1e-12);
    }

    @Test
    void aThirtyMinuteDeploymentOfTypicalSizeCostsUnderOneCent() {
        // 170 transitions, 83 invocations of 100 ms at 1 GB, 30 ticks of 6 metrics, ~1,000 write units, 36 events.
        DeploymentUsage typical = new DeploymentUsage(170, 83, 8.3, 182, 1_000, 150, 3, 2, 1, 36);

        Cost cost = CostModel.cost(typical, Prices.US_EAST_1);

        assertEquals(
                0.00425 + 0.0000166 + 0.000138 + 0.00182 + 0.000625 + 0.0000188 + 0.000015 + 0.0000008 + 0.000005
                        + 0.000036,
                cost.total(),
                1e-6);
        assertEquals(true, cost.total() < CENT, "under one US cent: " + cost.total());
    }

    private static double dollars(Cost cost, String what) {
        return cost.items().stream()
                .filter(item -> item.what().equals(what))
                .findFirst()
                .orElseThrow()
                .dollars();
    }
}
