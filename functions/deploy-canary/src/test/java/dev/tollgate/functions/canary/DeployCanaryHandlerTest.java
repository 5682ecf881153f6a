package dev.tollgate.functions.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.fakes.FakeSmokeTarget;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryTrafficLedger;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.rollout.CanaryService;
import dev.tollgate.smoke.ProbeReply;
import dev.tollgate.smoke.SmokeTestService;
import dev.tollgate.traffic.TrafficControl;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeployCanaryHandlerTest {

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final FakeTrafficRouter target = new FakeTrafficRouter();
    private final TrafficControl traffic = new TrafficControl(target, new InMemoryTrafficLedger());
    private final FakeSmokeTarget canary = new FakeSmokeTarget();
    private final DeployCanaryHandler handler = new DeployCanaryHandler(
            new CanaryService(traffic, store, clock),
            new SmokeTestService(traffic, canary, canary, canary, store, clock, pause -> {}, DeploymentEvents.NONE),
            15);

    @BeforeEach
    void deploymentIsRecorded() {
        new LockService(store, clock).acquire("checkout", "checkout-2026-11-24-v42", "execution-1");
    }

    @Test
    void deploysTheCanaryAtZeroPercentWithAHealthDeadline() {
        JsonNode status = SampleEvents.invoke(handler, "deploy-canary.json");

        assertEquals(java.util.List.of("plan", "deployCanary"), target.calls());
        assertEquals(0, target.weights().canaryPercent());
        assertFalse(status.path("healthy").asBoolean());
        assertEquals("2026-11-24T10:15:00Z", status.path("deadline").asText(), "the target's 900 s health timeout");
        assertEquals(15, status.path("pollSeconds").asInt());
        assertEquals(
                "checkout-2026-11-24-v42",
                status.path("spec").path("deploymentId").asText(),
                "the spec, with the release pinned in, goes on with the state");
    }

    @Test
    void pinsTheReleaseIntoDimensionPlaceholders() {
        String event = SampleEvents.read("deploy-canary.json")
                .replace("\"Version\": \"v42\"", "\"Version\": \"{canaryVersion}\"")
                .replace("\"Version\": \"v41\"", "\"Version\": \"{baselineVersion}\"");

        JsonNode status = SampleEvents.invokeWith(handler, event);

        JsonNode metric = status.path("spec").path("analysis").path("metrics").get(0);
        assertEquals("42", metric.path("canaryDimensions").path("Version").asText(), "the fake publishes version 42");
        assertEquals("41", metric.path("baselineDimensions").path("Version").asText(), "the alias served version 41");
    }

    @Test
    void aRetriedDeployPlansOnceAndDeploysTheSameRelease() {
        SampleEvents.invoke(handler, "deploy-canary.json");
        SampleEvents.invoke(handler, "deploy-canary.json");

        assertEquals(
                java.util.List.of("plan", "deployCanary", "deployCanary"),
                target.calls(),
                "the recorded plan is reused");
        assertEquals(
                1,
                store.find("checkout-2026-11-24-v42").orElseThrow().timeline().stream()
                        .filter(entry -> entry.state().equals("DeployCanary"))
                        .count());
    }

    @Test
    void reportsTheCanaryHealthyOnceTheTargetSaysSo() {
        SampleEvents.invoke(handler, "deploy-canary.json");
        clock.advance(Duration.ofSeconds(30));

        JsonNode status = SampleEvents.invoke(handler, "deploy-canary-check-health.json");

        assertTrue(status.path("healthy").asBoolean(), status.toString());
    }

    @Test
    void givesUpOnACanaryStillUnhealthyAfterItsDeadline() {
        target.healthyAfter(1_000);
        SampleEvents.invoke(handler, "deploy-canary.json");
        clock.advance(Duration.ofSeconds(20 * 60));

        CanaryUnhealthyException unhealthy = assertThrows(
                CanaryUnhealthyException.class, () -> SampleEvents.invoke(handler, "deploy-canary-check-health.json"));

        assertTrue(unhealthy.getMessage().contains("limit 900s"), unhealthy.getMessage());
    }

    @Test
    void smokeTestsTheHealthyCanaryAndAddsTheOutcomeToItsStatus() {
        SampleEvents.invoke(handler, "deploy-canary.json");
        canary.probeAnswers(ProbeReply.status(503));

        JsonNode status = SampleEvents.invoke(handler, "deploy-canary-smoke-test.json");

        assertTrue(status.path("healthy").asBoolean(), "still the healthy canary's status");
        assertFalse(status.path("smokeTest").path("passed").asBoolean(), status.toString());
        assertEquals("probe", status.path("smokeTest").path("form").asText());
        assertEquals(3, status.path("smokeTest").path("attempts").asInt());
        assertEquals(0, target.weights().canaryPercent());
    }
}
