package dev.tollgate.functions.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryTrafficLedger;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.rollout.ShiftService;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.traffic.TrafficControl;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShiftTrafficHandlerTest {

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:20:00Z"));
    private final FakeTrafficRouter target = new FakeTrafficRouter();
    private final TrafficControl traffic = new TrafficControl(target, new InMemoryTrafficLedger());
    private final ShiftTrafficHandler handler = new ShiftTrafficHandler(new ShiftService(traffic, store, clock), 15);

    private void canaryDeployed(String event) {
        new LockService(store, clock).acquire("checkout", "checkout-2026-11-24-v42", "execution-1");
        traffic.deploy(SampleEvents.spec(event), PinnedSecrets.NONE);
    }

    @Test
    void setsTheStepsWeightAndStartsItsBakeClock() {
        canaryDeployed("shift-traffic.json");

        JsonNode progress = SampleEvents.invoke(handler, "shift-traffic.json");

        assertEquals(25, target.weights().canaryPercent(), "step 2 of the sample is 25 %");
        assertEquals(1, progress.path("stepIndex").asInt());
        assertEquals(25, progress.path("canaryWeight").asInt());
        assertEquals("2026-11-24T10:20:00Z", progress.path("stepStartedAt").asText());
        assertEquals(
                "2026-11-24T10:21:15Z",
                progress.path("firstTickAt").asText(),
                "the first tick is due once 10:20-10:21, the first whole period, is published (15 s later)");
    }

    @Test
    void shiftingTwiceLeavesTheSameAbsoluteWeight() {
        canaryDeployed("shift-traffic.json");

        SampleEvents.invoke(handler, "shift-traffic.json");
        SampleEvents.invoke(handler, "shift-traffic.json");

        assertEquals(25, target.weights().canaryPercent());
        assertEquals(
                1,
                store.find("checkout-2026-11-24-v42").orElseThrow().timeline().stream()
                        .filter(entry -> entry.state().equals("ShiftTraffic"))
                        .count());
    }

    @Test
    void refusesToShiftATargetSomeoneChangedByHand() {
        canaryDeployed("shift-traffic.json");
        target.handMoveTo(40);

        TargetStateConflictException conflict = assertThrows(
                TargetStateConflictException.class, () -> SampleEvents.invoke(handler, "shift-traffic.json"));

        assertTrue(
                conflict.getMessage().contains("sends 40 % to the canary, but Tollgate last set 0 %"),
                conflict.getMessage());
        assertEquals(40, target.weights().canaryPercent(), "nothing moved");
    }

    @Test
    void refusesToBakeThePromotionStep() {
        canaryDeployed("shift-traffic.json");
        String promotionStep = SampleEvents.read("shift-traffic.json").replace("\"stepIndex\": 1", "\"stepIndex\": 3");

        BadRequestException bad =
                assertThrows(BadRequestException.class, () -> SampleEvents.invokeWith(handler, promotionStep));

        assertTrue(bad.getMessage().contains("the last is the promotion"), bad.getMessage());
        assertEquals(0, target.weights().canaryPercent(), "nothing moved");
    }

    @Test
    void watchesATargetThatShiftsItselfUntilItReachesTheStep() {
        target.shiftingItself(0);
        canaryDeployed("shift-traffic-watch.json");
        target.handMoveTo(5);

        JsonNode waiting = SampleEvents.invoke(handler, "shift-traffic-watch.json");
        assertFalse(waiting.path("shifted").asBoolean(), waiting.toString());
        assertEquals(5, waiting.path("canaryWeight").asInt());

        target.handMoveTo(10);
        clock.advance(Duration.ofSeconds(15));
        JsonNode shifted = SampleEvents.invoke(handler, "shift-traffic-watch.json");

        assertTrue(shifted.path("shifted").asBoolean(), shifted.toString());
        assertEquals(10, shifted.path("progress").path("canaryWeight").asInt());
        assertEquals(
                "2026-11-24T10:20:15Z",
                shifted.path("progress").path("stepStartedAt").asText());
        assertEquals(java.util.List.of("plan", "deployCanary"), target.calls(), "Tollgate only watched");
    }

    @Test
    void givesUpOnATargetThatDoesNotShiftWithinItsHealthTimeout() {
        target.shiftingItself(0);
        canaryDeployed("shift-traffic-watch.json");
        JsonNode first = SampleEvents.invoke(handler, "shift-traffic-watch.json");
        clock.advance(Duration.ofSeconds(301));
        String later = SampleEvents.read("shift-traffic-watch.json").replace("\"watch\": null", "\"watch\": " + first);

        CanaryUnhealthyException stuck =
                assertThrows(CanaryUnhealthyException.class, () -> SampleEvents.invokeWith(handler, later));

        assertTrue(
                stuck.getMessage().contains("has not shifted to 10 % 301s after step 1 began (limit 300s)"),
                stuck.getMessage());
    }
}
