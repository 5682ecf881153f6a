package dev.tollgate.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.LockService;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live version's error budget is counted on the metric the SLO names, whatever comes first in the list. */
class ErrorBudgetServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Map<String, String> LIVE = Map.of("Service", "checkout", "Version", "v41");

    @Test
    void aSpecWhoseFirstRatioIsASuccessRateDeploysOnItsErrorRatesBudget() {
        // 99.75 % of requests succeed (2xx) and 0.025 % fail (5xx): read as errors, the successes would
        // overspend a 99.9 % budget a thousandfold; the 5xx leave three quarters of it.
        ObjectNode event = (ObjectNode) Json.tree(SampleEvents.read("check-error-budget.json"));
        ArrayNode metrics = (ArrayNode) event.path("spec").path("analysis").path("metrics");
        ObjectNode successRate = metrics.get(0).deepCopy();
        successRate
                .put("name", "success-rate")
                .put("direction", "DECREASE_IS_BAD")
                .put("tolerance", 0.01);
        ((ObjectNode) successRate.path("numerator")).put("metric", "2xx");
        metrics.insert(0, successRate);
        DeploymentSpec spec = Json.convert(event.path("spec"), DeploymentSpec.class);
        FakeMetricSource liveMetrics = new FakeMetricSource();
        Instant yesterday = NOW.minusSeconds(86_400);
        liveMetrics
                .put("App", "Requests", LIVE, yesterday, 1_000_000)
                .put("App", "5xx", LIVE, yesterday, 250)
                .put("App", "2xx", LIVE, yesterday, 997_500);
        InMemoryDeploymentStore store = new InMemoryDeploymentStore();
        MutableClock clock = new MutableClock(NOW);
        new LockService(store, clock).acquire("checkout", spec.deploymentId(), "execution-1");

        ErrorBudget budget = new ErrorBudgetService(liveMetrics, store, clock).check(spec);

        assertEquals("error-rate", spec.analysis().slo().metric());
        assertEquals(250, budget.errors(), 1e-9);
        assertEquals(0.75, budget.remaining(), 1e-9);
        assertTrue(budget.summary().startsWith("75.0% of the 28-day error budget left"), budget.summary());
    }
}
