package dev.tollgate.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.LockService;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.DeploymentNotRunningException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvent.RollbackReason;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.spec.DeploymentSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The post-promotion watch: the new version at 100 % judged against the old version's own periods from
 * just before the rollout. The rollout began (took its lock) at 10:00, the promotion was at 11:00, and the tick at 11:05:30
 * reads five periods of the new version (11:00 to 11:05) and the old version's five before 10:00.
 */
class PostPromotionWatchTest {

    private static final String DEPLOYMENT = "checkout-2026-11-24-v42";
    private static final Map<String, String> NEW_VERSION = Map.of("Service", "checkout", "Version", "v42");
    private static final Map<String, String> OLD_VERSION = Map.of("Service", "checkout", "Version", "v41");
    private static final Instant ROLLOUT_STARTED = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant PROMOTED = Instant.parse("2026-11-24T11:00:00Z");
    private static final WatchProgress PROGRESS = new WatchProgress(PROMOTED);

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final FakeMetricSource metrics = new FakeMetricSource()
            .alarm("checkout-canary-anomaly", AlarmState.OK)
            .alarm("checkout-p99-slo", AlarmState.OK);
    private final MutableClock clock = new MutableClock(PROMOTED.plusSeconds(5 * 60 + 30));
    private final List<DeploymentEvent> told = new ArrayList<>();
    private final PostPromotionWatch watch =
            new PostPromotionWatch(metrics, new SequentialJudge(), store, clock, told::add);

    @BeforeEach
    void deploymentIsRecorded() {
        // The rollout began when the deployment took its lock: the record's startedAt.
        new LockService(store, new MutableClock(ROLLOUT_STARTED)).acquire("checkout", DEPLOYMENT, "execution-1");
    }

    private static DeploymentSpec watchedFor(int watchSeconds) {
        ObjectNode spec =
                (ObjectNode) Json.tree(SampleEvents.read("decide.json")).path("spec");
        spec.putObject("afterPromotion").put("watchSeconds", watchSeconds);
        return Json.convert(spec, DeploymentSpec.class);
    }

    /** Five periods of one version from {@code from}: requests, errors and a p99 latency each. */
    private void minutes(Map<String, String> version, Instant from, double requests, double errors, double latency) {
        for (int index = 0; index < 5; index++) {
            Instant at = from.plusSeconds(60L * index + 10);
            metrics.put("App", "Requests", version, at, requests)
                    .put("App", "5xx", version, at, errors)
                    .put("App", "Latency", version, at, latency);
        }
    }

    private void oldVersionBeforeTheRollout() {
        minutes(OLD_VERSION, ROLLOUT_STARTED.minusSeconds(5 * 60), 7_500, 15, 175);
    }

    private WatchTick tick(int watchSeconds) {
        return watch.tick(watchedFor(watchSeconds), PROGRESS, clock.instant(), 0);
    }

    private List<TimelineEntry> watchNotes() {
        return store.find(DEPLOYMENT).orElseThrow().timeline().stream()
                .filter(entry -> PostPromotionWatch.STATE.equals(entry.state()))
                .toList();
    }

    @Test
    void passesAtTheWatchsEndWhenTheNewVersionIsNoWorseThanTheOldVersionWasBeforeTheRollout() {
        oldVersionBeforeTheRollout();
        minutes(NEW_VERSION, PROMOTED, 7_500, 6, 180);

        WatchTick tick = tick(300);

        assertEquals(WatchAction.WATCH_PASSED, tick.action(), tick.toString());
        assertTrue(tick.reason().startsWith("the 300 s watch after the promotion passed"), tick.reason());
        assertEquals(330, tick.watchedSeconds());
        assertEquals(1, metrics.alarmCallCount(), "one DescribeAlarms for all alarms");
        assertEquals(
                2,
                metrics.seriesCallCount(),
                "one GetMetricData for the new version since the promotion, one for the old " + "version's history");
    }

    @Test
    void watchesOnBeforeTheWatchsEndEvenWhenPassing() {
        oldVersionBeforeTheRollout();
        minutes(NEW_VERSION, PROMOTED, 7_500, 6, 180);

        WatchTick tick = tick(600);

        assertEquals(WatchAction.CONTINUE_WATCHING, tick.action(), tick.toString());
        assertTrue(tick.reason().startsWith("watching 330 s of 600 s after the promotion; PASS so far"), tick.reason());
    }

    @Test
    void rollsBackAtOnceWhenTheNewVersionAtFullTrafficErrsFarMoreThanTheOldVersionDid() {
        oldVersionBeforeTheRollout();
        minutes(NEW_VERSION, PROMOTED, 7_500, 225, 180);

        WatchTick tick = tick(3_600);

        assertEquals(WatchAction.ROLLBACK, tick.action(), tick.toString());
        assertTrue(
                tick.reason().startsWith("rolled back after the promotion: the watch failed the new version at 100 %"),
                tick.reason());
        assertTrue(tick.reason().contains("error-rate"), tick.reason());
        assertEquals("judge", tick.decidedBy());
        assertEquals(
                List.of(
                        DeploymentEvent.Type.WATCHING_AFTER_PROMOTION,
                        DeploymentEvent.Type.ROLLED_BACK_AFTER_PROMOTION),
                told.stream().map(DeploymentEvent::type).toList());
        assertEquals(RollbackReason.VERDICT, told.get(1).rollbackReason());
        assertEquals(100, told.get(0).canaryWeight());
        assertEquals("ROLLBACK", watchNotes().get(0).message().substring(0, "ROLLBACK".length()));
    }

    @Test
    void rollsBackAWatchThatEndsWithoutTheOldVersionsHistoryBecauseNoDataIsNeverHealthy() {
        minutes(NEW_VERSION, PROMOTED, 7_500, 6, 180);

        WatchTick tick = tick(300);

        assertEquals(WatchAction.ROLLBACK, tick.action(), tick.toString());
        assertTrue(
                tick.reason().contains("without evidence that the new version is healthy (fail closed)"),
                tick.reason());
        assertEquals("INCONCLUSIVE", tick.verdict().verdict().name());
    }

    @Test
    void anAlarmInAlarmAfterThePromotionRollsBack() {
        oldVersionBeforeTheRollout();
        minutes(NEW_VERSION, PROMOTED, 7_500, 6, 180);
        metrics.alarm("checkout-p99-slo", AlarmState.ALARM);

        WatchTick tick = tick(3_600);

        assertEquals(WatchAction.ROLLBACK, tick.action(), tick.toString());
        assertTrue(tick.reason().contains("checkout-p99-slo: alarm in ALARM"), tick.reason());
    }

    @Test
    void anOperatorsAbortDuringTheWatchRollsBackButAPromoteNowFromTheRolloutDoesNotEndIt() {
        oldVersionBeforeTheRollout();
        minutes(NEW_VERSION, PROMOTED, 7_500, 6, 180);
        store.requestOperatorAction(
                DEPLOYMENT,
                new OperatorRequest(OperatorRequest.Kind.PROMOTE, "bob", PROMOTED.minusSeconds(90), "ship it"));

        assertEquals(WatchAction.CONTINUE_WATCHING, tick(3_600).action(), "the promote-now that led to the promotion");

        store.requestOperatorAction(
                DEPLOYMENT,
                new OperatorRequest(OperatorRequest.Kind.ABORT, "alice", PROMOTED.plusSeconds(200), "pager"));
        WatchTick tick = tick(3_600);

        assertEquals(WatchAction.ROLLBACK, tick.action());
        assertEquals("rolled back after the promotion, during the watch, by alice: pager", tick.reason());
        assertEquals("alice", tick.decidedBy());
        assertEquals(RollbackReason.OPERATOR, told.get(told.size() - 1).rollbackReason());
    }

    @Test
    void aRetriedTickNotesItsDecisionOnceAndWatchingTicksOnlyWhenTheVerdictChanges() {
        oldVersionBeforeTheRollout();
        minutes(NEW_VERSION, PROMOTED, 7_500, 6, 180);
        Instant tickStarted = clock.instant();

        watch.tick(watchedFor(3_600), PROGRESS, tickStarted, 0);
        watch.tick(watchedFor(3_600), PROGRESS, tickStarted, 0);
        clock.advance(java.time.Duration.ofMinutes(1));
        watch.tick(watchedFor(3_600), PROGRESS, clock.instant(), 0);

        assertEquals(1, watchNotes().size(), watchNotes().toString());
    }

    @Test
    void theNextTickIsDueOnceTheNextPeriodIsPublishedAndAWholePeriodAfterARetriedTick() {
        oldVersionBeforeTheRollout();
        minutes(NEW_VERSION, PROMOTED, 7_500, 6, 180);
        // The tick at 11:05:30 read the periods to 11:05; the next ends at 11:06 and is published 15 s later.
        Instant published = Instant.parse("2026-11-24T11:06:15Z");

        WatchTick first = watch.tick(watchedFor(3_600), PROGRESS, clock.instant(), 0);
        WatchTick retried = watch.tick(watchedFor(3_600), PROGRESS, clock.instant(), 2);
        // The state machine started the tick later than the function's clock says: it reads as of then.
        WatchTick startedLater = watch.tick(watchedFor(3_600), PROGRESS, Instant.parse("2026-11-24T11:06:20Z"), 0);

        assertEquals(WatchAction.CONTINUE_WATCHING, first.action());
        assertEquals(published, first.nextTickAt());
        assertEquals(published.plusSeconds(60), retried.nextTickAt(), "a whole period after a retried tick");
        assertEquals(published.plusSeconds(60), startedLater.nextTickAt());
        assertEquals(380, startedLater.watchedSeconds());
    }

    @Test
    void aDeploymentWithoutARecordFailsItsTickSoTheStateMachineRollsBackRatherThanJudgeWithoutHistory() {
        minutes(NEW_VERSION, PROMOTED, 7_500, 6, 180);
        DeploymentSpec spec = Json.convert(
                ((ObjectNode) Json.tree(Json.write(watchedFor(300)))).put("deploymentId", "unrecorded"),
                DeploymentSpec.class);

        assertThrows(DeploymentNotRunningException.class, () -> watch.tick(spec, PROGRESS, clock.instant(), 0));
        assertEquals(1, metrics.seriesCallCount(), "only the new version's periods were read: no start, no history");
    }

    @Test
    void refusesATickForASpecWithoutAWatch() {
        DeploymentSpec unwatched = watchedFor(0);

        assertThrows(BadRequestException.class, () -> watch.tick(unwatched, PROGRESS, clock.instant(), 0));
    }
}
