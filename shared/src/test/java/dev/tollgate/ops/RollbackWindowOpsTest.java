package dev.tollgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.ApprovalService;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.RollbackRefusedException;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.fakes.FakeDeploymentExecutions;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.spec.SpecValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tollgate rollback SERVICE}: at once inside the promotion's rollback window, refused with the reason outside it. */
class RollbackWindowOpsTest {

    private static final String SERVICE = "checkout";
    private static final String ID = "checkout-2026-11-24-v42";
    private static final String TOKEN = "window-token";

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final FakeDeploymentExecutions executions = new FakeDeploymentExecutions();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T11:00:00Z"));
    private final OpsService ops = new OpsService(store, executions, executions, new SpecValidator(), clock);
    private final LockService locks = new LockService(store, clock);

    /** A deployment promoted with a window of {@code seconds}, its token parked as KeepRollbackWindowOpen parks it. */
    private void promotedWithWindow(String deploymentId, int seconds) {
        locks.acquire(SERVICE, deploymentId, "execution-" + deploymentId);
        new ApprovalService(store, clock, DeploymentEvents.NONE)
                .openRollbackWindow(deploymentId, SERVICE, seconds, TOKEN);
        executions.parkToken(TOKEN);
    }

    @Test
    void insideTheWindowItAnswersTheParkedTokenAtOnceAndRecordsWhoAndWhy() {
        promotedWithWindow(ID, 600);
        clock.advance(Duration.ofMinutes(5));

        OperatorAction action = ops.rollback(SERVICE, "alice", "checkout errors after the nightly job");

        assertEquals(
                List.of("failure RolledBack: rolled back by alice: checkout errors after the nightly job"),
                executions.gateAnswers());
        assertEquals(ID, action.deploymentId());
        assertTrue(action.message().startsWith("rolling back now"), action.message());
        DeploymentRecord record = store.find(ID).orElseThrow();
        assertEquals(
                new OperatorRequest(
                        OperatorRequest.Kind.ABORT, "alice", clock.instant(), "checkout errors after the nightly job"),
                record.operatorRequest(),
                "the rollback's outcome names the operator, as an abort's does");
        assertTrue(
                record.timeline().stream()
                        .anyMatch(entry -> "RollbackRequested".equals(entry.state())
                                && entry.message().startsWith("rolled back by alice: checkout errors")),
                record.timeline().toString());
    }

    @Test
    void statusShowsTheWindowOpenUntilItsEnd() {
        promotedWithWindow(ID, 600);

        DeploymentRecord record = store.find(ID).orElseThrow();

        assertEquals(Instant.parse("2026-11-24T11:10:00Z"), record.rollbackWindowUntil());
        assertTrue(record.rollbackWindowOpen(clock.instant()));
        assertTrue(!record.rollbackWindowOpen(Instant.parse("2026-11-24T11:10:00Z")), "closed at its end");
    }

    @Test
    void refusedWhileAnotherDeploymentHoldsTheLockAndIsStillRollingOut() {
        locks.acquire(SERVICE, "checkout-v43", "execution-v43");

        RollbackRefusedException refused =
                assertThrows(RollbackRefusedException.class, () -> ops.rollback(SERVICE, "alice", "why"));

        assertTrue(
                refused.getMessage()
                        .contains("deployment checkout-v43 holds the lock of checkout and is not in a rollback window"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("tollgate abort checkout-v43"), refused.getMessage());
        assertEquals(List.of(), executions.gateAnswers());
    }

    @Test
    void refusedOnceTheWindowHasClosedAndTheLockIsReleased() {
        promotedWithWindow(ID, 600);
        clock.advance(Duration.ofMinutes(11));
        store.finish(ID, DeploymentStatus.PROMOTED, "promoted", clock.instant());
        locks.release(SERVICE, ID, "execution-" + ID);

        RollbackRefusedException refused =
                assertThrows(RollbackRefusedException.class, () -> ops.rollback(SERVICE, "alice", "why"));

        assertEquals(
                "the rollback window of " + ID
                        + " closed at 2026-11-24T11:10:00Z: the old version is retired or being retired; "
                        + "deploy the previous release again to go back (it ended PROMOTED)",
                refused.getMessage());
    }

    @Test
    void aClosedWindowIsFoundBehindMoreDeploymentsOfOtherServicesThanTheListShows() {
        promotedWithWindow(ID, 600);
        clock.advance(Duration.ofMinutes(11));
        store.finish(ID, DeploymentStatus.PROMOTED, "promoted", clock.instant());
        locks.release(SERVICE, ID, "execution-" + ID);
        for (int other = 0; other < OpsService.MAX_LIST + 20; other++) {
            clock.advance(Duration.ofSeconds(1));
            locks.acquire("service-" + other, "deployment-" + other, "execution-" + other);
        }

        RollbackRefusedException refused =
                assertThrows(RollbackRefusedException.class, () -> ops.rollback(SERVICE, "alice", "why"));

        assertTrue(
                refused.getMessage().startsWith("the rollback window of " + ID + " closed at 2026-11-24T11:10:00Z"),
                refused.getMessage());
    }

    @Test
    void refusedWhenTheWindowsTimeHasPassedEvenBeforeTheStateMachineClosedIt() {
        promotedWithWindow(ID, 600);
        clock.advance(Duration.ofMinutes(10));

        RollbackRefusedException refused =
                assertThrows(RollbackRefusedException.class, () -> ops.rollback(SERVICE, "alice", "why"));

        assertTrue(
                refused.getMessage().startsWith("the rollback window of " + ID + " closed at"), refused.getMessage());
        assertEquals(List.of(), executions.gateAnswers(), "the token is left alone: the window's own end closes it");
    }

    @Test
    void refusedForAServiceThatNeverKeptAWindow() {
        RollbackRefusedException refused =
                assertThrows(RollbackRefusedException.class, () -> ops.rollback("payments", "alice", "why"));

        assertTrue(refused.getMessage().startsWith("no rollback window is open for payments"), refused.getMessage());
        assertTrue(refused.getMessage().contains("afterPromotion.rollbackWindowSeconds"), refused.getMessage());
    }

    @Test
    void needsAReasonForTheRecord() {
        promotedWithWindow(ID, 600);

        assertThrows(BadRequestException.class, () -> ops.rollback(SERVICE, "alice", " "));
        assertEquals(List.of(), executions.gateAnswers());
    }

    @Test
    void abortInsideTheWindowRollsBackAtOnceLikeRollback() {
        promotedWithWindow(ID, 600);

        OperatorAction action = ops.abort(ID, "bob", "support tickets");

        assertEquals(List.of("failure RolledBack: rolled back by bob: support tickets"), executions.gateAnswers());
        assertTrue(action.message().startsWith("rolling back now"), action.message());
    }

    @Test
    void promoteInsideTheWindowClosesItNow() {
        promotedWithWindow(ID, 600);

        OperatorAction action = ops.promote(ID, "carol", "all quiet");

        assertEquals(1, executions.gateAnswers().size());
        assertTrue(
                executions.gateAnswers().get(0).startsWith("success {\"action\":\"PROMOTE\""),
                executions.gateAnswers().toString());
        assertTrue(action.message().startsWith("closing the rollback window now"), action.message());
        assertTrue(store.find(ID).orElseThrow().timeline().stream()
                .anyMatch(entry -> "PromoteRequested".equals(entry.state())));
    }
}
