package dev.tollgate.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.ApprovalService;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.DeploymentIdInUseException;
import dev.tollgate.errors.LockHeldException;
import dev.tollgate.errors.ReleaseHaltedException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.fakes.FakeDeploymentExecutions;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryReleaseStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.json.Json;
import dev.tollgate.ops.OpsService;
import dev.tollgate.release.ReleaseRecord.Status;
import dev.tollgate.release.ReleaseRecord.TargetStatus;
import dev.tollgate.release.ReleaseRecord.WaveStatus;
import dev.tollgate.release.ReleaseService.TargetOutcome;
import dev.tollgate.spec.ReleaseSpec;
import dev.tollgate.spec.ReleaseSpec.OnFailure;
import dev.tollgate.spec.ReleaseSpec.OnLockHeld;
import dev.tollgate.spec.ReleaseValidator;
import dev.tollgate.spec.SpecValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseServiceTest {

    private static final String RELEASE = "checkout-v42";
    private static final String PARENT =
            "arn:aws:states:us-east-1:123456789012:execution:tollgate-release:checkout-v42";
    private static final String W1 = "checkout-v42-w1-1";
    private static final String W2A = "checkout-v42-w2-1";
    private static final String W2B = "checkout-v42-w2-2";

    private final InMemoryDeploymentStore deployments = new InMemoryDeploymentStore();
    private final InMemoryReleaseStore releases = new InMemoryReleaseStore();
    private final FakeDeploymentExecutions executions = new FakeDeploymentExecutions();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final List<DeploymentEvent> published = new ArrayList<>();
    private final OpsService ops = new OpsService(deployments, executions, executions, new SpecValidator(), clock);
    private final ReleaseService service =
            new ReleaseService(releases, deployments, ops, executions, executions, published::add, clock, "us-east-1");
    private final LockService locks = new LockService(deployments, clock);

    private static ReleaseSpec release(OnFailure onFailure, OnLockHeld onLockHeld) {
        ObjectNode request;
        try (var in = ReleaseServiceTest.class.getResourceAsStream("/specs/release-three-regions.json")) {
            request = (ObjectNode) Json.MAPPER.readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        request.put("onFailure", onFailure.name());
        request.put("onLockHeld", onLockHeld.name());
        request.withArray("waves")
                .forEach(wave -> wave.withArray("targets")
                        .forEach(target -> ((ObjectNode) target)
                                .put("roleArn", "arn:aws:iam::123456789012:role/tollgate-target")));
        return new ReleaseValidator().validate(request).withServiceLocks(spec -> spec.service() + "@" + spec.region());
    }

    private void opened(OnFailure onFailure) {
        service.open(release(onFailure, OnLockHeld.FAIL), PARENT);
    }

    /** The target deployed as its child execution would: the lock taken, promoted, its rollback window's token parked. */
    private void promoted(String deploymentId, String lock) {
        assertTrue(service.checkLock(RELEASE, deploymentId, lock).free());
        executions.start(deploymentId, "{}");
        locks.acquire(lock, deploymentId, executions.executionArn(deploymentId));
        String window = "window-" + deploymentId;
        new ApprovalService(deployments, clock, DeploymentEvents.NONE)
                .openRollbackWindow(deploymentId, lock, 86_400, window);
        executions.parkToken(window);
    }

    private static TargetOutcome promotedOutcome(String deploymentId) {
        return new TargetOutcome(deploymentId, "PROMOTED", null, null);
    }

    private ReleaseRecord record() {
        return releases.find(RELEASE).orElseThrow();
    }

    private TargetStatus statusOf(String deploymentId) {
        return record().targets().stream()
                .filter(target -> target.deploymentId().equals(deploymentId))
                .findFirst()
                .orElseThrow()
                .status();
    }

    @Test
    void opensOnceEveryTargetPendingAndRefusesTheIdToAnotherExecution() {
        opened(OnFailure.ROLLBACK_ALL);
        service.open(release(OnFailure.ROLLBACK_ALL, OnLockHeld.FAIL), PARENT);

        ReleaseRecord record = record();
        assertEquals(Status.RUNNING, record.status());
        assertEquals(
                List.of(W1, W2A, W2B),
                record.targets().stream()
                        .map(ReleaseRecord.TargetState::deploymentId)
                        .toList());
        assertTrue(record.targets().stream().allMatch(target -> target.status() == TargetStatus.PENDING));
        assertEquals("checkout@eu-west-1", record.targets().get(0).serviceLock());
        assertThrows(
                DeploymentIdInUseException.class,
                () -> service.open(release(OnFailure.ROLLBACK_ALL, OnLockHeld.FAIL), PARENT + "-again"));
    }

    @Test
    void aWholeReleasePromotedClosesEveryWindowAndTellsTheBusEachWaveAndTheEnd() {
        opened(OnFailure.ROLLBACK_ALL);
        service.startWave(RELEASE, 1);
        promoted(W1, "checkout@eu-west-1");
        assertTrue(service.endWave(RELEASE, 1, List.of(promotedOutcome(W1))).promoted());
        service.startWave(RELEASE, 2);
        promoted(W2A, "checkout@us-east-1");
        promoted(W2B, "checkout@ap-southeast-2");
        assertTrue(service.endWave(RELEASE, 2, List.of(promotedOutcome(W2A), promotedOutcome(W2B)))
                .promoted());

        assertEquals(3, service.complete(RELEASE));
        assertEquals(
                3,
                executions.gateAnswers().stream()
                        .filter(answer -> answer.startsWith("success"))
                        .count(),
                "every window closed: " + executions.gateAnswers());
        assertTrue(
                record().targets().stream().allMatch(target -> target.status() == TargetStatus.CLOSING),
                record().toString());
        executions.succeed(executions.executionArn(W1), "{}").succeed(executions.executionArn(W2A), "{}");
        assertFalse(service.checkTargetsEnded(RELEASE).settled(), "one target still retires its old version");
        executions.succeed(executions.executionArn(W2B), "{}");
        assertTrue(service.checkTargetsEnded(RELEASE).settled());
        ReleaseRecord done = service.finishPromoted(RELEASE);

        assertEquals(Status.PROMOTED, done.status());
        assertTrue(done.targets().stream().allMatch(target -> target.status() == TargetStatus.KEPT), done.toString());
        assertEquals(
                List.of(
                        "WAVE_STARTED 1",
                        "WAVE_PROMOTED 1",
                        "WAVE_STARTED 2",
                        "WAVE_PROMOTED 2",
                        "RELEASE_PROMOTED null"),
                published.stream()
                        .map(event -> event.type() + " " + event.release().wave())
                        .toList());
        DeploymentEvent last = published.get(published.size() - 1);
        assertEquals(RELEASE, last.deploymentId());
        assertEquals(PARENT, last.executionArn());
        assertEquals("checkout-v42:release_promoted", last.eventId());
    }

    @Test
    void aFailureInWaveTwoUnderRollbackAllSendsWaveTwoBackFirstThenWaveOne() {
        opened(OnFailure.ROLLBACK_ALL);
        service.startWave(RELEASE, 1);
        promoted(W1, "checkout@eu-west-1");
        service.endWave(RELEASE, 1, List.of(promotedOutcome(W1)));
        service.startWave(RELEASE, 2);
        promoted(W2A, "checkout@us-east-1");
        assertTrue(service.checkLock(RELEASE, W2B, "checkout@ap-southeast-2").free());

        ReleaseService.WaveEnd end = service.endWave(
                RELEASE,
                2,
                List.of(
                        promotedOutcome(W2A),
                        new TargetOutcome(W2B, "NOT_PROMOTED", "RolledBack", "error-rate FAIL: 4.1 % against 0.9 %")));
        assertFalse(end.promoted());
        assertTrue(end.reason().contains(W2B) && end.reason().contains("error-rate FAIL"), end.reason());
        assertEquals(OnFailure.ROLLBACK_ALL, service.halt(RELEASE, "WaveFailed", end.reason()));
        assertEquals(Status.HALTING, record().status());

        ReleaseService.RollbackStep first = service.rollBackNextWave(RELEASE);
        assertEquals(2, first.wave(), "the latest wave first");
        assertEquals(
                List.of("failure RolledBack: rolled back by release checkout-v42: the release halted: " + end.reason()),
                executions.gateAnswers());
        assertEquals(TargetStatus.ROLLING_BACK, statusOf(W2A));
        assertFalse(service.checkRollback(RELEASE, 2).settled(), "its execution still runs");
        executions.fail(executions.executionArn(W2A), OpsService.ROLLED_BACK, "rolled back by release checkout-v42");
        assertTrue(service.checkRollback(RELEASE, 2).settled());
        assertEquals(TargetStatus.ROLLED_BACK, statusOf(W2A));

        assertEquals(1, service.rollBackNextWave(RELEASE).wave());
        executions.fail(executions.executionArn(W1), OpsService.ROLLED_BACK, "rolled back by release checkout-v42");
        assertTrue(service.checkRollback(RELEASE, 1).settled());
        assertTrue(service.rollBackNextWave(RELEASE).done());
        assertEquals(0, service.closeKeptWindows(RELEASE), "ROLLBACK_ALL keeps nothing");
        assertTrue(service.checkTargetsEnded(RELEASE).settled());

        ReleaseRecord halted = service.finishHalted(RELEASE);
        assertEquals(Status.HALTED, halted.status());
        assertEquals(WaveStatus.ROLLED_BACK, halted.wave(1).status());
        assertEquals(WaveStatus.ROLLED_BACK, halted.wave(2).status());
        assertEquals(TargetStatus.NOT_PROMOTED, statusOf(W2B));
        assertEquals(
                List.of("checkout-v42:release_halted:halting", "checkout-v42:release_halted:halted"),
                published.stream()
                        .filter(event -> event.type() == DeploymentEvent.Type.RELEASE_HALTED)
                        .map(DeploymentEvent::eventId)
                        .toList(),
                "told twice, as two facts a consumer de-duplicating on eventId keeps apart");
    }

    @Test
    void underStopTheFailedWaveGoesBackAndEarlierWavesKeepTheReleaseTheirWindowsClosed() {
        opened(OnFailure.STOP);
        service.startWave(RELEASE, 1);
        promoted(W1, "checkout@eu-west-1");
        service.endWave(RELEASE, 1, List.of(promotedOutcome(W1)));
        service.startWave(RELEASE, 2);
        promoted(W2A, "checkout@us-east-1");
        ReleaseService.WaveEnd end = service.endWave(
                RELEASE,
                2,
                List.of(promotedOutcome(W2A), new TargetOutcome(W2B, "NOT_PROMOTED", "LockHeldException", "held")));
        service.halt(RELEASE, "WaveFailed", end.reason());

        assertEquals(2, service.rollBackNextWave(RELEASE).wave());
        executions.fail(executions.executionArn(W2A), OpsService.ROLLED_BACK, "rolled back");
        assertTrue(service.checkRollback(RELEASE, 2).settled());
        assertTrue(service.rollBackNextWave(RELEASE).done(), "wave 1 is kept under STOP");
        assertEquals(1, service.closeKeptWindows(RELEASE));
        assertEquals(TargetStatus.CLOSING, statusOf(W1));
        executions.succeed(executions.executionArn(W1), "{}");
        assertTrue(service.checkTargetsEnded(RELEASE).settled());
        ReleaseRecord halted = service.finishHalted(RELEASE);

        assertEquals(TargetStatus.KEPT, statusOf(W1));
        assertTrue(
                executions.gateAnswers().get(1).startsWith("success"),
                "wave 1's window closed: " + executions.gateAnswers());
        assertEquals(Status.HALTED, halted.status());
    }

    @Test
    void aHeldLockFailsTheTargetOrWaitsAsTheReleaseSays() {
        locks.acquire("checkout@eu-west-1", "checkout-hotfix", "execution-hotfix");
        opened(OnFailure.ROLLBACK_ALL);
        LockHeldException refused =
                assertThrows(LockHeldException.class, () -> service.checkLock(RELEASE, W1, "checkout@eu-west-1"));
        assertTrue(refused.getMessage().contains("held by deployment checkout-hotfix"), refused.getMessage());
        assertEquals(TargetStatus.NOT_PROMOTED, statusOf(W1));

        InMemoryReleaseStore waiting = new InMemoryReleaseStore();
        ReleaseService patient = new ReleaseService(
                waiting, deployments, ops, executions, executions, DeploymentEvents.NONE, clock, "us-east-1");
        patient.open(release(OnFailure.ROLLBACK_ALL, OnLockHeld.WAIT), PARENT);
        for (int check = 1; check < ReleaseSpec.LOCK_CHECKS; check++) {
            assertFalse(patient.checkLock(RELEASE, W1, "checkout@eu-west-1").free());
        }
        assertThrows(
                LockHeldException.class,
                () -> patient.checkLock(RELEASE, W1, "checkout@eu-west-1"),
                "it stops waiting after " + ReleaseSpec.LOCK_CHECKS + " checks");

        InMemoryReleaseStore freed = new InMemoryReleaseStore();
        ReleaseService later = new ReleaseService(
                freed, deployments, ops, executions, executions, DeploymentEvents.NONE, clock, "us-east-1");
        later.open(release(OnFailure.ROLLBACK_ALL, OnLockHeld.WAIT), PARENT);
        assertFalse(later.checkLock(RELEASE, W1, "checkout@eu-west-1").free());
        deployments.release("checkout@eu-west-1", "checkout-hotfix", "execution-hotfix");
        assertTrue(later.checkLock(RELEASE, W1, "checkout@eu-west-1").free());
    }

    @Test
    void aChildThatEndsWithoutPromotionAnswersTheReleaseHaltsItAndAbortsItsRunningSiblings() {
        opened(OnFailure.ROLLBACK_ALL);
        service.startWave(RELEASE, 1);
        promoted(W1, "checkout@eu-west-1");
        service.endWave(RELEASE, 1, List.of(promotedOutcome(W1)));
        service.startWave(RELEASE, 2);
        assertTrue(service.checkLock(RELEASE, W2A, "checkout@us-east-1").free());
        locks.acquire("checkout@us-east-1", W2A, executions.executionArn(W2A));
        assertTrue(service.checkLock(RELEASE, W2B, "checkout@ap-southeast-2").free());
        executions.parkToken("release-token-w2-2");

        boolean answered = service.childEnded("ABORTED", childInput(W2B, "release-token-w2-2"), null, null);

        assertTrue(answered);
        assertEquals(
                "failure " + ReleaseService.CHILD_ENDED + ": the target's execution ended ABORTED",
                executions.gateAnswers().get(0));
        assertEquals(Status.HALTING, record().status());
        assertEquals(TargetStatus.NOT_PROMOTED, statusOf(W2B));
        OperatorRequest abort = deployments.find(W2A).orElseThrow().operatorRequest();
        assertNotNull(abort, "the running sibling was aborted");
        assertEquals("release checkout-v42", abort.requestedBy());
        assertThrows(
                ReleaseHaltedException.class,
                () -> service.checkLock(RELEASE, W2B, "checkout@ap-southeast-2"),
                "nothing more starts");
        assertFalse(
                service.childEnded("FAILED", childInput(W2B, "release-token-w2-2"), "RolledBack", "again"),
                "a task answered already is not answered twice");
        assertFalse(
                service.childEnded("FAILED", "{\"deploymentId\":\"on-its-own\"}", "RolledBack", "x"),
                "not a release's target");
    }

    @Test
    void aPromotedTargetsLaterEndIsTheReleasesOwnStatesBusinessNotAFailure() {
        opened(OnFailure.ROLLBACK_ALL);
        service.startWave(RELEASE, 1);
        promoted(W1, "checkout@eu-west-1");
        service.endWave(RELEASE, 1, List.of(promotedOutcome(W1)));
        executions.parkToken("release-token-w1-1");

        assertFalse(service.childEnded(
                "FAILED", childInput(W1, "release-token-w1-1"), "RolledBack", "rolled back in its window"));

        assertEquals(TargetStatus.PROMOTED, statusOf(W1));
        assertEquals(Status.RUNNING, record().status());
        assertTrue(executions.gateAnswers().isEmpty(), "its task was answered when its window opened");
    }

    @Test
    void aSucceededChildAnswersItsTaskWhenNothingElseHas() {
        opened(OnFailure.ROLLBACK_ALL);
        executions.parkToken("token");

        assertTrue(service.childEnded("SUCCEEDED", childInput(W1, "token"), null, null));
        assertTrue(
                executions.gateAnswers().get(0).contains("\"status\":\"PROMOTED\""),
                executions.gateAnswers().toString());
    }

    @Test
    void anAbortStopsEverythingStillRunningAndNothingMoreStarts() {
        opened(OnFailure.ROLLBACK_ALL);
        service.startWave(RELEASE, 1);
        assertTrue(service.checkLock(RELEASE, W1, "checkout@eu-west-1").free());
        locks.acquire("checkout@eu-west-1", W1, executions.executionArn(W1));
        clock.advance(Duration.ofMinutes(3));

        ReleaseRecord aborted = service.abort(RELEASE, "alice", "bad config in every region");

        assertEquals(Status.HALTING, aborted.status());
        assertEquals("alice", aborted.abortedBy());
        assertEquals(
                "release checkout-v42",
                deployments.find(W1).orElseThrow().operatorRequest().requestedBy(),
                "the running target was aborted in the release's name");
        assertThrows(ReleaseHaltedException.class, () -> service.startWave(RELEASE, 2));
        assertThrows(
                ReleaseHaltedException.class, () -> service.complete(RELEASE), "a halting release is not promoted");
    }

    private static String childInput(String deploymentId, String token) {
        ObjectNode input = Json.MAPPER.createObjectNode();
        input.putObject("spec").put("deploymentId", deploymentId);
        input.putObject("release").put("releaseId", RELEASE).put("wave", 2).put("taskToken", token);
        return Json.write(input);
    }
}
