package dev.tollgate.functions.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.traffic.ShiftService;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShiftTrafficHandlerTest {

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:20:00Z"));
    private final FakeTrafficRouter target = new FakeTrafficRouter();
    private final ShiftTrafficHandler handler = new ShiftTrafficHandler(new ShiftService(target, store, clock));

    @BeforeEach
    void deploymentIsRecorded() {
        new LockService(store, clock).acquire("checkout", "checkout-2026-11-24-v42", "execution-1");
    }

    @Test
    void setsTheStepsWeightAndStartsItsBakeClock() {
        JsonNode progress = SampleEvents.invoke(handler, "shift-traffic.json");

        assertEquals(25, target.weights().canaryPercent(), "step 2 of the sample is 25 %");
        assertEquals(1, progress.path("stepIndex").asInt());
        assertEquals(25, progress.path("canaryWeight").asInt());
        assertEquals("2026-11-24T10:20:00Z", progress.path("stepStartedAt").asText());
        assertEquals(60, progress.path("waitSeconds").asInt(), "one analysis period between ticks");
    }

    @Test
    void shiftingTwiceLeavesTheSameAbsoluteWeight() {
        SampleEvents.invoke(handler, "shift-traffic.json");
        SampleEvents.invoke(handler, "shift-traffic.json");

        assertEquals(25, target.weights().canaryPercent());
        assertEquals(1, store.find("checkout-2026-11-24-v42").orElseThrow().timeline().stream()
                .filter(entry -> entry.state().equals("ShiftTraffic")).count());
    }

    @Test
    void refusesToBakeThePromotionStep() {
        String promotionStep = SampleEvents.read("shift-traffic.json").replace("\"stepIndex\": 1", "\"stepIndex\": 3");

        BadRequestException bad = assertThrows(BadRequestException.class, () -> SampleEvents.invokeWith(handler, promotionStep));

        assertTrue(bad.getMessage().contains("the last is the promotion"), bad.getMessage());
        assertEquals(0, target.weights().canaryPercent(), "nothing moved");
    }
}
