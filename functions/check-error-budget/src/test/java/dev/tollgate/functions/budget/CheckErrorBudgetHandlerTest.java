package dev.tollgate.functions.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.budget.ErrorBudgetService;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.ErrorBudgetExhaustedException;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckErrorBudgetHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Map<String, String> LIVE = Map.of("Service", "checkout", "Version", "v41");

    private final FakeMetricSource metrics = new FakeMetricSource();
    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(NOW);
    private final CheckErrorBudgetHandler handler =
            new CheckErrorBudgetHandler(new ErrorBudgetService(metrics, store, clock));

    @BeforeEach
    void deploymentIsRecorded() {
        new LockService(store, clock).acquire("checkout", "checkout-2026-11-24-v42", "execution-1");
    }

    private void liveTraffic(double requests, double errors) {
        Instant yesterday = NOW.minusSeconds(86_400);
        metrics.put("App", "Requests", LIVE, yesterday, requests).put("App", "5xx", LIVE, yesterday, errors);
    }

    @Test
    void reportsTheBudgetLeftWhenTheLiveVersionIsHealthy() {
        liveTraffic(1_000_000, 250);

        JsonNode budget = SampleEvents.invoke(handler, "check-error-budget.json");

        assertEquals(0.75, budget.path("remaining").asDouble(), 1e-9, "250 errors of a 1000-error budget used");
        assertTrue(
                budget.path("summary").asText().startsWith("75.0% of the 28-day error budget left"), budget.toString());
    }

    @Test
    void refusesToDeployWhenTheBudgetIsSpentWithTheFigures() {
        liveTraffic(1_000_000, 1_500);

        ErrorBudgetExhaustedException refused = assertThrows(
                ErrorBudgetExhaustedException.class, () -> SampleEvents.invoke(handler, "check-error-budget.json"));

        assertTrue(
                refused.getMessage()
                        .contains("-50.0% of the 28-day error budget left (1500 errors in 1000000 requests"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("\"override\": true"), refused.getMessage());
    }

    @Test
    void refusesWhenTheLiveVersionHasNoDataBecauseAnUnknownBudgetIsNotAHealthyOne() {
        ErrorBudgetExhaustedException refused = assertThrows(
                ErrorBudgetExhaustedException.class, () -> SampleEvents.invoke(handler, "check-error-budget.json"));

        assertTrue(refused.getMessage().contains("no requests of the live version"), refused.getMessage());
    }

    @Test
    void deploysAnywayWhenTheSpecSaysOverride() {
        liveTraffic(1_000_000, 1_500);
        String overridden =
                SampleEvents.read("check-error-budget.json").replace("\"override\": false", "\"override\": true");

        JsonNode budget = SampleEvents.invokeWith(handler, overridden);

        assertTrue(
                budget.path("summary").asText().endsWith("deploying anyway: the spec says override"),
                budget.toString());
    }
}
