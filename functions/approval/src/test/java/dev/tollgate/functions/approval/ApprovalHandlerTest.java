package dev.tollgate.functions.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.deployment.LockService;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.events.EventSchema;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApprovalHandlerTest {

    private static final String DEPLOYMENT = "checkout-2026-11-24-v42";

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T11:00:00Z"));

    @BeforeEach
    void deploymentIsRecorded() {
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");
    }

    @Test
    void parksTheTaskTokenOnTheDeploymentRecord() {
        SampleEvents.invoke(new ApprovalHandler(store, clock), "approval.json");

        assertEquals(
                "AQCEAAAAKgAAAAMAAAAAAAAAAeXample+TaskToken==",
                store.approvalToken(DEPLOYMENT).orElseThrow());
        assertEquals(3, store.find(DEPLOYMENT).orElseThrow().awaitingApprovalStep());
    }

    @Test
    void tellsItIsWaitingWithTheServiceSoAPerServiceRuleHearsIt() {
        List<DeploymentEvent> told = new ArrayList<>();

        SampleEvents.invoke(
                new ApprovalHandler(store, clock, DeploymentEvents.all(List.of(told::add))), "approval.json");

        DeploymentEvent waiting = told.get(0);
        assertEquals(DeploymentEvent.Type.AWAITING_APPROVAL, waiting.type());
        assertEquals("checkout", waiting.service());
        assertEquals(List.of(), EventSchema.violations(Json.write(waiting)), Json.write(waiting));
    }

    @Test
    void aRollbackWindowParksItsTokenApartFromApprovalGatesUntilTheWindowEnds() {
        String promoted = "checkout-2026-11-24-v43";
        new LockService(store, clock).acquire("checkout-next", promoted, "execution-2");

        SampleEvents.invoke(new ApprovalHandler(store, clock), "approval-rollback-window.json");

        assertEquals(
                "AQCEAAAAKgAAAAMAAAAAAAAAAeXample+WindowToken==",
                store.rollbackToken(promoted).orElseThrow());
        assertEquals(java.util.Optional.empty(), store.approvalToken(promoted), "tollgate approve cannot answer it");
        assertEquals(
                Instant.parse("2026-11-24T12:00:00Z"),
                store.find(promoted).orElseThrow().rollbackWindowUntil());
        assertEquals(null, store.find(promoted).orElseThrow().awaitingApprovalStep());
    }

    @Test
    void aReleasesTargetTellsTheReleaseItIsPromotedOnceItsWindowIsParked() throws Exception {
        String promoted = "checkout-2026-11-24-v43";
        new LockService(store, clock).acquire("checkout-next", promoted, "execution-2");
        dev.tollgate.fakes.FakeDeploymentExecutions release =
                new dev.tollgate.fakes.FakeDeploymentExecutions().parkToken("release-token");
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.tree(SampleEvents.read("approval-rollback-window.json"));
        event.putObject("release")
                .put("releaseId", "checkout-v43")
                .put("wave", 1)
                .put("taskToken", "release-token");

        SampleEvents.invokeWith(
                new ApprovalHandler(store, clock, DeploymentEvents.NONE, () -> release), Json.write(event));

        assertEquals(
                "AQCEAAAAKgAAAAMAAAAAAAAAAeXample+WindowToken==",
                store.rollbackToken(promoted).orElseThrow(),
                "parked first");
        assertEquals(
                List.of("success {\"deploymentId\":\"" + promoted
                        + "\",\"status\":\"PROMOTED\",\"rollbackWindowUntil\":" + "\"2026-11-24T12:00:00Z\"}"),
                release.gateAnswers());
        assertEquals(
                "ReleaseTold",
                store.find(promoted)
                        .orElseThrow()
                        .timeline()
                        .get(store.find(promoted).orElseThrow().timeline().size() - 1)
                        .state());
    }

    @Test
    void aDeploymentOnItsOwnNeverReachesForStepFunctions() {
        String promoted = "checkout-2026-11-24-v43";
        new LockService(store, clock).acquire("checkout-next", promoted, "execution-2");

        SampleEvents.invoke(
                new ApprovalHandler(store, clock, DeploymentEvents.NONE, () -> {
                    throw new AssertionError("no release to tell");
                }),
                "approval-rollback-window.json");

        assertEquals(
                "AQCEAAAAKgAAAAMAAAAAAAAAAeXample+WindowToken==",
                store.rollbackToken(promoted).orElseThrow());
    }
}
