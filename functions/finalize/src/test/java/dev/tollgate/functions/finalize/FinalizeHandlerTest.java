package dev.tollgate.functions.finalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryTrafficLedger;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.rollout.FinalizeService;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.traffic.TrafficControl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinalizeHandlerTest {

    private static final String DEPLOYMENT = "checkout-2026-11-24-v42";

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T11:00:00Z"));
    private final FakeTrafficRouter target = new FakeTrafficRouter();
    private final TrafficControl traffic = new TrafficControl(target, new InMemoryTrafficLedger());
    private final FinalizeHandler handler = new FinalizeHandler(new FinalizeService(traffic, store, clock, 15));

    private void canaryDeployed() {
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");
        traffic.deploy(SampleEvents.spec("finalize-promote.json"), PinnedSecrets.NONE);
    }

    private void canaryAtHalf() {
        canaryDeployed();
        traffic.shift(SampleEvents.spec("finalize-promote.json"), 50);
    }

    @Test
    void promotionSendsAllTrafficToTheNewVersionAndRecordsIt() {
        canaryAtHalf();

        JsonNode outcome = SampleEvents.invoke(handler, "finalize-promote.json");

        assertEquals(100, target.weights().canaryPercent());
        assertEquals("PROMOTED", outcome.path("status").asText());
        assertTrue(outcome.path("settled").asBoolean());
        assertEquals(300, outcome.path("drainSeconds").asInt(), "the old side drains for the target's drainSeconds");
        assertEquals(
                DeploymentStatus.PROMOTED, store.find(DEPLOYMENT).orElseThrow().status());
        assertFalse(target.oldVersionRetired(), "the old version keeps its tasks until the drain is over");
    }

    @Test
    void retiringAfterTheDrainStopsTheOldVersionAndNotesIt() {
        canaryAtHalf();
        SampleEvents.invoke(handler, "finalize-promote.json");

        JsonNode retired = SampleEvents.invoke(handler, "finalize-retire.json");

        assertTrue(target.oldVersionRetired());
        assertEquals("old version stopped", retired.path("detail").asText());
        assertTrue(store.find(DEPLOYMENT).orElseThrow().timeline().stream()
                .anyMatch(entry -> entry.state().equals("RetireOldVersion")));
    }

    @Test
    void aPromotionStillMovingIsNotRecordedUntilItSettles() {
        target.shiftingItself(1);
        canaryDeployed();
        target.handMoveTo(50);

        JsonNode moving = SampleEvents.invoke(handler, "finalize-promote.json");
        assertFalse(moving.path("settled").asBoolean());
        assertEquals("RUNNING", moving.path("status").asText());
        assertEquals(15, moving.path("pollSeconds").asInt());
        assertEquals(
                DeploymentStatus.RUNNING, store.find(DEPLOYMENT).orElseThrow().status());

        JsonNode settled = SampleEvents.invoke(handler, "finalize-promote.json");
        assertTrue(settled.path("settled").asBoolean());
        assertEquals(
                DeploymentStatus.PROMOTED, store.find(DEPLOYMENT).orElseThrow().status());
    }

    @Test
    void rollbackOnAVerdictRestoresTheOldVersionAndSaysWhy() {
        canaryAtHalf();

        JsonNode outcome = SampleEvents.invoke(handler, "finalize-rollback.json");

        assertEquals(0, target.weights().canaryPercent());
        assertTrue(target.canaryStopped());
        assertEquals("ROLLED_BACK", outcome.path("status").asText());
        DeploymentRecord record = store.find(DEPLOYMENT).orElseThrow();
        assertTrue(record.reason().contains("error-rate: regression: canary 3.1%"), record.reason());
    }

    @Test
    void rollbackAfterAFailureEndsFailedWithTheErrorInPlainWords() {
        canaryAtHalf();

        JsonNode outcome = SampleEvents.invoke(handler, "finalize-rollback-after-failure.json");

        assertEquals(0, target.weights().canaryPercent());
        assertEquals("FAILED", outcome.path("status").asText());
        assertEquals(
                "failed with CanaryUnhealthy: canary not healthy 905s after deployment (limit 900s): running 1/2 tasks",
                outcome.path("reason").asText());
    }

    @Test
    void rollbackBeforeAnyCanaryWasDeployedChangesNothing() {
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");

        JsonNode outcome = SampleEvents.invoke(handler, "finalize-rollback-after-failure.json");

        assertEquals("FAILED", outcome.path("status").asText());
        assertEquals(java.util.List.of(), target.calls(), "the target was never touched");
    }

    @Test
    void aRetriedRollbackKeepsTheFirstOutcome() {
        canaryAtHalf();

        SampleEvents.invoke(handler, "finalize-rollback.json");
        SampleEvents.invoke(handler, "finalize-rollback-after-failure.json");

        assertEquals(
                DeploymentStatus.ROLLED_BACK,
                store.find(DEPLOYMENT).orElseThrow().status());
        assertEquals(0, target.weights().canaryPercent());
    }

    @Test
    void anAbortAtTheApprovalGateKeepsWhoAbortedAndWhy() {
        canaryAtHalf();
        String event = SampleEvents.read("finalize-rollback.json");
        com.fasterxml.jackson.databind.node.ObjectNode request =
                (com.fasterxml.jackson.databind.node.ObjectNode) dev.tollgate.json.Json.tree(event);
        request.putObject("rollback")
                .put("cause", "DECISION")
                .put("reason", "approval refused")
                .put("error", "Aborted")
                .put("errorCause", "aborted by alice: wrong build");

        JsonNode outcome = SampleEvents.invokeWith(handler, dev.tollgate.json.Json.write(request));

        assertEquals("ROLLED_BACK", outcome.path("status").asText());
        assertEquals(
                "approval refused: aborted by alice: wrong build",
                outcome.path("reason").asText());
    }

    @Test
    void aDryRunEndsWithNothingDeployedAndTellsWhatARealRunWouldApply() {
        List<DeploymentEvent> told = new ArrayList<>();
        FinalizeHandler telling = new FinalizeHandler(new FinalizeService(traffic, store, clock, 15, told::add));
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");

        JsonNode outcome = SampleEvents.invoke(telling, "finalize-dry-run.json");

        assertEquals("DRY_RUN", outcome.path("status").asText());
        assertEquals(0, outcome.path("canaryPercent").asInt());
        assertEquals(100, outcome.path("baselinePercent").asInt());
        assertEquals(List.of(), target.calls(), "the target was never touched");
        String reason = outcome.path("reason").asText();
        assertTrue(
                reason.startsWith("dry run: nothing deployed, no traffic moved; would apply 2 migrations on app@"),
                reason);
        assertTrue(reason.contains("the compatibility guard would refuse 1 destructive statement"), reason);
        DeploymentRecord record = store.find(DEPLOYMENT).orElseThrow();
        assertEquals(DeploymentStatus.DRY_RUN, record.status());
        assertEquals(reason, record.reason());
        assertEquals(
                List.of(DeploymentEvent.Type.DRY_RUN),
                told.stream().map(DeploymentEvent::type).toList());
        assertEquals(0, told.get(0).canaryWeight());
    }

    @Test
    void aDryRunThatFindsACanaryDeployedFailsSoTheStateMachineRollsItBack() {
        canaryDeployed();

        TargetStateConflictException refused = assertThrows(
                TargetStateConflictException.class, () -> SampleEvents.invoke(handler, "finalize-dry-run.json"));

        assertTrue(refused.getMessage().contains("shows a deployed canary"), refused.getMessage());
        assertEquals(
                DeploymentStatus.RUNNING, store.find(DEPLOYMENT).orElseThrow().status());
    }

    @Test
    void aDryRunOutcomeIsRefusedForMigrationsThatWereApplied() {
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");
        ObjectNode request = (ObjectNode) Json.tree(SampleEvents.read("finalize-dry-run.json"));
        ((ObjectNode) request.get("migrations")).put("dryRun", false);

        assertThrows(BadRequestException.class, () -> SampleEvents.invokeWith(handler, Json.write(request)));
        assertEquals(
                DeploymentStatus.RUNNING, store.find(DEPLOYMENT).orElseThrow().status());
    }

    /** The promotion's request with the sample's rollback window of an hour. */
    private static String promotionWithWindow() {
        ObjectNode request = (ObjectNode) Json.tree(SampleEvents.read("finalize-close-rollback-window.json"));
        request.put("action", "PROMOTE").put("reason", "all steps passed");
        return Json.write(request);
    }

    @Test
    void aPromotionWithARollbackWindowGoesOnRunningWithTheOldVersionStillAbleToServe() {
        canaryAtHalf();

        JsonNode outcome = SampleEvents.invokeWith(handler, promotionWithWindow());

        assertEquals(100, target.weights().canaryPercent());
        assertEquals(
                "RUNNING",
                outcome.path("status").asText(),
                "the deployment ends when the window closes, or at a rollback");
        assertTrue(outcome.path("settled").asBoolean());
        assertEquals(3600, outcome.path("rollbackWindowSeconds").asInt());
        assertEquals(
                DeploymentStatus.RUNNING, store.find(DEPLOYMENT).orElseThrow().status());
        assertFalse(target.oldVersionRetired());
    }

    @Test
    void aPromotionWithAWatchSaysWhenItsFirstTickIsDueOnceTheFirstWholePeriodAtAllTrafficIsPublished() {
        canaryAtHalf();
        ObjectNode request = (ObjectNode) Json.tree(promotionWithWindow());
        ((ObjectNode) request.path("spec"))
                .putObject("afterPromotion")
                .put("watchSeconds", 600)
                .put("rollbackWindowSeconds", 3600);
        clock.advance(java.time.Duration.ofSeconds(20));

        JsonNode outcome = SampleEvents.invokeWith(handler, Json.write(request));

        assertEquals("RUNNING", outcome.path("status").asText());
        assertEquals(600, outcome.path("watchSeconds").asInt());
        assertEquals(
                "2026-11-24T11:00:20Z",
                outcome.path("watchStart").path("promotedAt").asText());
        // The minute of the promotion mixes both versions; the next, 11:01 to 11:02, is published at 11:02:15.
        assertEquals(
                "2026-11-24T11:02:15Z",
                outcome.path("watchStart").path("firstTickAt").asText());
    }

    @Test
    void aPromotionWithoutAWatchHasNoWatchToStart() {
        canaryAtHalf();

        JsonNode outcome = SampleEvents.invokeWith(handler, promotionWithWindow());

        assertTrue(outcome.path("watchStart").isMissingNode(), outcome.toString());
    }

    @Test
    void closingTheWindowEndsThePromotionAndLeavesOnlyWhatIsLeftOfTheDrain() {
        canaryAtHalf();
        SampleEvents.invokeWith(handler, promotionWithWindow());

        JsonNode closed = SampleEvents.invoke(handler, "finalize-close-rollback-window.json");

        assertEquals("PROMOTED", closed.path("status").asText());
        assertEquals(0, closed.path("drainSeconds").asInt(), "the 300 s drain ran during the hour's window");
        DeploymentRecord record = store.find(DEPLOYMENT).orElseThrow();
        assertEquals(DeploymentStatus.PROMOTED, record.status());
        assertTrue(record.reason().startsWith("all steps passed"), record.reason());
        assertTrue(record.reason().contains("the rollback window closed with no rollback"), record.reason());
    }

    @Test
    void aRollbackInTheWindowSendsAllTrafficBackAndNamesTheOperator() {
        List<DeploymentEvent> told = new ArrayList<>();
        FinalizeHandler telling = new FinalizeHandler(new FinalizeService(traffic, store, clock, 15, told::add));
        canaryAtHalf();
        SampleEvents.invokeWith(telling, promotionWithWindow());
        store.requestOperatorAction(
                DEPLOYMENT,
                new dev.tollgate.decision.OperatorRequest(
                        dev.tollgate.decision.OperatorRequest.Kind.ABORT,
                        "alice",
                        clock.instant(),
                        "errors after the nightly job"));
        ObjectNode rollback = (ObjectNode) Json.tree(SampleEvents.read("finalize-close-rollback-window.json"));
        rollback.put("action", "ROLLBACK");
        // As DescribeRollbackInWindow puts it, from the error tollgate rollback answered the window's token with.
        rollback.putObject("rollback")
                .put("cause", "DECISION")
                .put("reason", "after the promotion, in the rollback window")
                .put("error", "RolledBack")
                .put("errorCause", "rolled back by alice: errors after the nightly job");

        JsonNode outcome = SampleEvents.invokeWith(telling, Json.write(rollback));

        assertEquals(0, target.weights().canaryPercent());
        assertEquals("ROLLED_BACK", outcome.path("status").asText());
        assertEquals(
                "after the promotion, in the rollback window: rolled back by alice: errors after the nightly job",
                store.find(DEPLOYMENT).orElseThrow().reason());
        DeploymentEvent finished = told.get(told.size() - 1);
        assertEquals(DeploymentEvent.Type.ROLLED_BACK, finished.type());
        assertEquals(DeploymentEvent.RollbackReason.OPERATOR, finished.rollbackReason());
    }
}
