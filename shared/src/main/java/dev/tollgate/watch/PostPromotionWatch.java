package dev.tollgate.watch;

import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.aws.Placed;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.decision.TickSchedule;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.DryRunChecks;
import dev.tollgate.judge.Judge;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.judge.StepEvidence;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.metrics.SeriesQuery;
import dev.tollgate.spec.AnalysisSpec;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.RolloutBudget.Caps;
import dev.tollgate.spec.StepSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tick of the post-promotion watch (docs/operations.md): the new version, now serving all traffic,
 * judged by the same judge, metrics, alarms and SLO burn rate as the steps, against the old version's own
 * history from just before the rollout (there is no concurrent baseline any more). The periods watched so
 * far are paired, in order, with as many periods of the old version ending where the rollout began (the
 * deployment record's {@code startedAt}: the lock, before the canary ever took traffic). Fail
 * closed: a FAIL rolls back at once, and a watch that ends without a PASS (no history, too little traffic,
 * an alarm with no data) rolls back too, since no evidence of health is not health.
 */
public final class PostPromotionWatch {

    private final Placed<MetricSource> metrics;
    private final Judge judge;
    private final DeploymentStore store;
    private final Clock clock;
    private final DeploymentEvents events;

    public PostPromotionWatch(
            MetricSource metrics, Judge judge, DeploymentStore store, Clock clock, DeploymentEvents events) {
        this(Placed.everywhere(metrics), judge, store, clock, events);
    }

    /** With the metrics and alarms read where each deployment's target publishes them. */
    public PostPromotionWatch(
            Placed<MetricSource> metrics, Judge judge, DeploymentStore store, Clock clock, DeploymentEvents events) {
        this.metrics = metrics;
        this.judge = judge;
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Judges the watch so far and decides. {@code tickStartedAt} ({@code $$.State.EnteredTime}) is the same
     * for every retry of the tick, so a retried tick notes its decision once; the tick reads as of no earlier
     * than it, and {@code retryCount} ({@code $$.State.RetryCount}) puts the next tick a whole period after a
     * retried one, as a step's (TickSchedule).
     */
    public WatchTick tick(DeploymentSpec spec, WatchProgress progress, Instant tickStartedAt, int retryCount) {
        if (spec.watchSeconds() <= 0) {
            throw new BadRequestException("deployment " + spec.deploymentId() + " has no watch after its promotion "
                    + "(afterPromotion.watchSeconds is 0)");
        }
        Optional<DeploymentRecord> record = store.find(spec.deploymentId());
        // The rollout began when the deployment took its lock: until its first shift the old version served all
        // traffic.
        Instant rolloutStartedAt = record.map(DeploymentRecord::startedAt).orElse(null);
        Instant now = TickSchedule.readAsOf(clock.instant(), tickStartedAt);
        StepVerdict verdict = AnalysisService.bounded(judgeWatch(spec, progress, rolloutStartedAt, now));
        // Only a request made during the watch: a promote-now from the rollout is what led here.
        Optional<OperatorRequest> request = record.map(DeploymentRecord::operatorRequest)
                .filter(asked ->
                        asked.requestedAt() != null && !asked.requestedAt().isBefore(progress.promotedAt()));
        WatchTick decided = decide(spec, progress, verdict, request, now);
        WatchTick tick = new WatchTick(
                decided.action(),
                Caps.bounded(decided.reason(), Caps.DECISION_REASON_BYTES),
                decided.decidedBy(),
                decided.watchedSeconds(),
                verdict,
                TickSchedule.nextTickAt(now, spec.analysis().periodSeconds(), retryCount));
        if (tick.action() != WatchAction.CONTINUE_WATCHING || worthNoting(verdict, record)) {
            store.append(
                    spec.deploymentId(),
                    new TimelineEntry(
                            "watch-" + tickStartedAt.toEpochMilli() + "-" + tick.action(),
                            now,
                            STATE,
                            Caps.bounded(tick.action() + ": " + tick.reason(), TIMELINE_MESSAGE_BYTES),
                            null,
                            100,
                            verdict.verdict().name()));
        }
        events.publish(DeploymentEvent.watchVerdict(
                spec.deploymentId(),
                spec.service(),
                now,
                verdict,
                tick.action().name(),
                tick.decidedBy(),
                tick.reason(),
                tick.watchedSeconds()));
        if (tick.action() == WatchAction.ROLLBACK) {
            events.publish(DeploymentEvent.rolledBackAfterPromotion(
                    spec.deploymentId(), spec.service(), now, tick.reason(), tick.decidedBy(), tick.watchedSeconds()));
        }
        return tick;
    }

    /** The Task state of a watch tick, as the timeline names it. */
    public static final String STATE = "WatchAfterPromotion";
    /** A tick's note on the record: its decision and the start of the reason (the history keeps the whole). */
    static final int TIMELINE_MESSAGE_BYTES = 600;
    /** Notes of ticks that only watch on: a verdict that flips for a day stops here, the history keeps every tick. */
    static final int WATCHING_NOTES = 10;

    private static boolean worthNoting(StepVerdict verdict, Optional<DeploymentRecord> record) {
        List<TimelineEntry> notes = record.map(found -> found.timeline().stream()
                        .filter(entry -> STATE.equals(entry.state()))
                        .toList())
                .orElse(List.of());
        return notes.isEmpty()
                || notes.size() < WATCHING_NOTES
                        && !verdict.verdict()
                                .name()
                                .equals(notes.get(notes.size() - 1).verdict());
    }

    static WatchTick decide(
            DeploymentSpec spec,
            WatchProgress progress,
            StepVerdict verdict,
            Optional<OperatorRequest> request,
            Instant now) {
        long watched = progress.watchedSeconds(now);
        int watch = spec.watchSeconds();
        if (request.isPresent()) {
            OperatorRequest asked = request.get();
            String why = asked.reason() == null || asked.reason().isBlank() ? "" : ": " + asked.reason();
            return asked.kind() == OperatorRequest.Kind.ABORT
                    ? new WatchTick(
                            WatchAction.ROLLBACK,
                            "rolled back after the promotion, during the watch, by " + asked.requestedBy() + why,
                            asked.requestedBy(),
                            watched,
                            verdict)
                    : new WatchTick(
                            WatchAction.WATCH_PASSED,
                            "the watch after the promotion ended early by " + asked.requestedBy() + why,
                            asked.requestedBy(),
                            watched,
                            verdict);
        }
        if (verdict.verdict() == Verdict.FAIL) {
            return new WatchTick(
                    WatchAction.ROLLBACK,
                    "rolled back after the promotion: the watch failed the new version at 100 % " + "after " + watched
                            + " s, against the old version's history: " + verdict.reason(),
                    DecisionPolicy.JUDGE,
                    watched,
                    verdict);
        }
        if (watched < watch) {
            return new WatchTick(
                    WatchAction.CONTINUE_WATCHING,
                    "watching " + watched + " s of " + watch + " s after the promotion; " + verdict.verdict()
                            + " so far: " + verdict.reason(),
                    DecisionPolicy.JUDGE,
                    watched,
                    verdict);
        }
        if (verdict.verdict() == Verdict.PASS && verdict.minimumSampleReached()) {
            return new WatchTick(
                    WatchAction.WATCH_PASSED,
                    "the " + watch + " s watch after the promotion passed: " + verdict.reason(),
                    DecisionPolicy.JUDGE,
                    watched,
                    verdict);
        }
        return new WatchTick(
                WatchAction.ROLLBACK,
                "rolled back after the promotion: the " + watch + " s watch ended without "
                        + "evidence that the new version is healthy (fail closed): " + verdict.reason(),
                DecisionPolicy.JUDGE,
                watched,
                verdict);
    }

    /**
     * The new version's whole periods since the promotion (from the first full one to the last published),
     * and as many of the old version's, ending at the last full period before the rollout began, moved
     * forward in time onto the new version's so that the judge pairs them in order. Without a known start of the
     * rollout (no record) there is no history to compare with, and the watch cannot pass.
     */
    private StepVerdict judgeWatch(DeploymentSpec spec, WatchProgress progress, Instant rolloutStartedAt, Instant now) {
        AnalysisSpec analysis = spec.analysis();
        int period = analysis.periodSeconds();
        Instant start = TickSchedule.ceilToPeriod(progress.promotedAt(), period);
        Instant end = TickSchedule.lastPublishedPeriodEnd(now, period);
        MetricSource source = metrics.at(spec);
        Map<String, MetricSeries> series = new HashMap<>();
        if (end.isAfter(start)) {
            Duration watched = Duration.between(start, end);
            Instant historyEnd =
                    TickSchedule.floorToPeriod(rolloutStartedAt == null ? start : rolloutStartedAt, period);
            Instant historyStart = historyEnd.minus(watched);
            List<SeriesQuery> newVersion = new ArrayList<>();
            List<SeriesQuery> oldVersion = new ArrayList<>();
            for (int index = 0; index < analysis.metrics().size(); index++) {
                for (SeriesQuery query :
                        AnalysisService.queriesFor(index, analysis.metrics().get(index))) {
                    (AnalysisService.isCanarySide(query) ? newVersion : oldVersion).add(query);
                }
            }
            if (!newVersion.isEmpty()) {
                series.putAll(source.series(newVersion, start, end, period));
            }
            if (!oldVersion.isEmpty() && rolloutStartedAt != null && !rolloutStartedAt.isAfter(progress.promotedAt())) {
                Duration shift = Duration.between(historyStart, start);
                source.series(oldVersion, historyStart, historyEnd, period)
                        .forEach((id, history) -> series.put(id, shifted(history, shift)));
            }
        }
        Map<String, AlarmState> alarms = source.alarmStates(analysis.alarms());
        return DryRunChecks.judge(
                judge,
                new StepEvidence(
                        analysis, watchStep(spec), 100, AnalysisService.observations(analysis, series), alarms, now));
    }

    /**
     * The watch as a step the judge knows: 100 % for {@code watchSeconds}, with the last baked step's
     * minimum sample (the judge's gross boundary is reachable within the watch's periods).
     */
    static StepSpec watchStep(DeploymentSpec spec) {
        long minRequests = spec.step(spec.promotionStepIndex() - 1).minRequests();
        return new StepSpec(100, spec.watchSeconds(), spec.watchSeconds(), minRequests, false);
    }

    private static MetricSeries shifted(MetricSeries history, Duration shift) {
        return new MetricSeries(
                history.timestamps().stream()
                        .map(timestamp -> timestamp.plus(shift))
                        .toList(),
                history.values());
    }
}
