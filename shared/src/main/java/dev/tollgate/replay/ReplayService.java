package dev.tollgate.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.decision.Action;
import dev.tollgate.decision.Decision;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.errors.InvalidWindowException;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.CheckVerdict;
import dev.tollgate.judge.Judge;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.metrics.SeriesQuery;
import dev.tollgate.spec.AnalysisSpec;
import dev.tollgate.spec.DeploymentSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the judge over past CloudWatch data tick by tick, exactly as a live step would have: the same
 * {@link AnalysisService} (so the same {@link MetricSource} queries and whole-period alignment), the
 * same judge with its dry-run checks, the same {@link DecisionPolicy}, with the clock set to each tick's
 * time. It reads metrics only: no traffic moves and no deployment record is written.
 */
public final class ReplayService {

    private final MetricSource metrics;
    private final Judge judge;
    private final Clock clock;

    public ReplayService(MetricSource metrics, Judge judge, Clock clock) {
        this.metrics = metrics;
        this.judge = judge;
        this.clock = clock;
    }

    /** Re-judges a deployment's recorded ticks and compares each with what was decided then. */
    public Replay replayRecorded(String deploymentId, DeploymentSpec spec, List<ReplayTick> ticks) {
        if (ticks.isEmpty()) {
            throw new InvalidWindowException("cannot replay " + deploymentId
                    + ": its history holds no analysis tick (it ended" + " before any step was judged)");
        }
        List<ReplayedTick> replayed = new ArrayList<>();
        DataSeen seen = new DataSeen();
        for (ReplayTick tick : ticks) {
            Map<String, AlarmState> alarms =
                    tick.recorded().map(RecordedTick::alarmStates).orElse(Map.of());
            StepVerdict verdict = analyse(spec, tick.progress(), tick.at(), alarms, seen);
            Decision decision =
                    new DecisionPolicy().decide(spec, tick.progress(), verdict, Optional.empty(), tick.at());
            replayed.add(new ReplayedTick(
                    tick,
                    verdict,
                    decision,
                    tick.recorded()
                            .map(recorded -> differences(recorded, verdict, decision))
                            .orElse(List.of()),
                    tick.recorded()
                            .map(recorded -> dataChanges(recorded, verdict))
                            .orElse(List.of())));
        }
        String outcome = replayed.get(replayed.size() - 1).decision().action().name();
        Instant from = ticks.get(0).progress().stepStartedAt();
        Instant to = ticks.get(ticks.size() - 1).at();
        return new Replay(deploymentId, spec, from, to, replayed, seen.any ? outcome : Replay.NO_DATA, true);
    }

    /**
     * What the judge would have decided for a release whose canary ran from {@code from} to {@code to}
     * without Tollgate: the spec's steps in turn, a tick every period from each step's start, an approval
     * gate taken as approved, until a promotion, a rollback, a pause for a human or the window's end.
     * Alarms are left out: CloudWatch keeps no per-period alarm state to read again.
     */
    public Replay replayWindow(DeploymentSpec spec, Instant from, Instant to) {
        requireReplayableWindow(spec, from, to, clock.instant());
        DeploymentSpec withoutAlarms = withoutAlarms(spec);
        int period = spec.analysis().periodSeconds();
        List<ReplayedTick> replayed = new ArrayList<>();
        DataSeen seen = new DataSeen();
        int stepIndex = 0;
        Instant stepStartedAt = from;
        String outcome = Replay.UNDECIDED;
        for (Instant at = from.plusSeconds(period); !at.isAfter(to); at = at.plusSeconds(period)) {
            StepProgress progress =
                    StepProgress.started(stepIndex, spec.step(stepIndex).weight(), stepStartedAt, period);
            StepVerdict verdict = analyse(withoutAlarms, progress, at, Map.of(), seen);
            Decision decision = new DecisionPolicy().decide(withoutAlarms, progress, verdict, Optional.empty(), at);
            replayed.add(new ReplayedTick(
                    new ReplayTick(progress, at, Optional.empty()), verdict, decision, List.of(), List.of()));
            Action next = decision.action();
            if (next == Action.AWAIT_APPROVAL && verdict.verdict() == Verdict.PASS && decision.onApproval() != null) {
                next = decision.onApproval(); // an approval gate after a PASS: replay goes on as if approved
            }
            if (next == Action.NEXT_STEP) {
                stepIndex = decision.nextStepIndex();
                stepStartedAt = at;
            } else if (next != Action.CONTINUE_BAKING) {
                outcome = next.name();
                break;
            }
        }
        return new Replay(spec.deploymentId(), spec, from, to, replayed, seen.any ? outcome : Replay.NO_DATA, false);
    }

    /**
     * Refuses, before any call, a window replay cannot answer honestly: empty or shorter than one period,
     * reaching into the future, or starting before CloudWatch's retention at the spec's period (GetMetricData:
     * under 60 s for 3 hours, 60 s for 15 days, 300 s for 63 days, 3600 s for 455 days).
     */
    public static void requireReplayableWindow(DeploymentSpec spec, Instant from, Instant to, Instant now) {
        int period = spec.analysis().periodSeconds();
        List<String> problems = new ArrayList<>();
        if (!to.isAfter(from)) {
            problems.add("--canary-to " + to + " is not after --canary-from " + from);
        } else if (Duration.between(from, to).getSeconds() < period) {
            problems.add(
                    "the window " + from + " to " + to + " is shorter than one analysis period (" + period + " s)");
        }
        if (to.isAfter(now)) {
            problems.add("--canary-to " + to + " is in the future (now "
                    + now.atOffset(ZoneOffset.UTC).withNano(0).toInstant()
                    + "): replay judges data CloudWatch already has");
        }
        Duration retention = retention(period);
        if (from.isBefore(now.minus(retention))) {
            problems.add("--canary-from " + from + " is older than CloudWatch keeps data at a " + period + " s period ("
                    + describe(retention) + "); a longer analysis.periodSeconds reaches further back");
        }
        if (!problems.isEmpty()) {
            throw new InvalidWindowException("cannot replay: " + String.join("; ", problems));
        }
    }

    /** How far back GetMetricData answers at {@code periodSeconds} (CloudWatch's retention schedule). */
    public static Duration retention(int periodSeconds) {
        if (periodSeconds % 3600 == 0) {
            return Duration.ofDays(455);
        }
        if (periodSeconds % 300 == 0) {
            return Duration.ofDays(63);
        }
        if (periodSeconds % 60 == 0) {
            return Duration.ofDays(15);
        }
        return Duration.ofHours(3);
    }

    private static String describe(Duration retention) {
        return retention.toDays() > 0 ? retention.toDays() + " days" : retention.toHours() + " hours";
    }

    private StepVerdict analyse(
            DeploymentSpec spec, StepProgress progress, Instant at, Map<String, AlarmState> alarms, DataSeen seen) {
        MetricSource past = new PastMetricSource(metrics, alarms, seen);
        return new AnalysisService(past, judge, Clock.fixed(at, ZoneOffset.UTC)).analyse(spec, progress);
    }

    /**
     * The spec judged on its metrics alone, as replay and plan judge it: past alarm states are not kept per
     * period, and cannot be drawn from traffic. A spec that decides on alarms only is refused.
     */
    public static DeploymentSpec withoutAlarms(DeploymentSpec spec) {
        AnalysisSpec analysis = spec.analysis();
        if (analysis.alarms().isEmpty()) {
            return spec;
        }
        if (analysis.metrics().stream().allMatch(metric -> metric.dryRun())) {
            throw new InvalidWindowException(
                    "this spec decides on alarms only, and CloudWatch keeps no per-period alarm state"
                            + " to read again or draw from traffic; replay and plan judge metrics");
        }
        return new DeploymentSpec(
                spec.deploymentId(),
                spec.service(),
                spec.target(),
                spec.secrets(),
                spec.migrations(),
                spec.steps(),
                new AnalysisSpec(
                        analysis.periodSeconds(),
                        analysis.metrics(),
                        analysis.slo(),
                        List.of(),
                        analysis.falsePositiveRate(),
                        analysis.onInconclusive()),
                spec.override(),
                null,
                null,
                spec.region(),
                spec.roleArn());
    }

    static List<String> differences(RecordedTick recorded, StepVerdict verdict, Decision decision) {
        List<String> differences = new ArrayList<>();
        if (!recorded.verdict().equals(verdict.verdict().name())) {
            differences.add("verdict " + recorded.verdict() + " then, " + verdict.verdict() + " now");
        }
        Map<String, String> now = new LinkedHashMap<>();
        verdict.checks().forEach(check -> now.put(check.name(), check.verdict().name()));
        recorded.checkVerdicts().forEach((name, then) -> {
            String today = now.get(name);
            if (!then.equals(today)) {
                differences.add(name + " " + then + " then, " + (today == null ? "not judged" : today) + " now");
            }
        });
        now.keySet().stream()
                .filter(name -> !recorded.checkVerdicts().containsKey(name))
                .forEach(name -> differences.add(name + " not judged then, " + now.get(name) + " now"));
        if (!recorded.action().equals(decision.action().name())
                || recorded.nextStepIndex() != decision.nextStepIndex()) {
            differences.add("decision " + recorded.action() + " (to step " + (recorded.nextStepIndex() + 1) + ") then, "
                    + decision.action() + " (to step " + (decision.nextStepIndex() + 1) + ") now");
        }
        return differences;
    }

    /**
     * How the amounts of data today's checks read differ from what the recorded tick's checks read (its
     * periods and requests, {@link RecordedTick#SAMPLE_NUMBERS}), check by check; empty when they match or
     * the record does not say.
     */
    static List<String> dataChanges(RecordedTick recorded, StepVerdict verdict) {
        List<String> changes = new ArrayList<>();
        for (CheckVerdict check : verdict.checks()) {
            Map<String, Double> then = recorded.checkSamples().getOrDefault(check.name(), Map.of());
            List<String> changed = new ArrayList<>();
            then.forEach((number, counted) -> {
                Double today = check.numbers().get(number);
                if (today != null && Double.compare(today, counted) != 0) {
                    changed.add(count(counted) + " " + number + " then, " + count(today) + " now");
                }
            });
            if (!changed.isEmpty()) {
                changes.add(check.name() + " read " + String.join(", ", changed));
            }
        }
        return changes;
    }

    private static String count(double amount) {
        return amount == Math.rint(amount) ? String.valueOf((long) amount) : String.valueOf(amount);
    }

    /** The alarm states a recorded tick's checks show: PASS was OK, FAIL was ALARM, undecided was no data or no alarm. */
    public static Map<String, AlarmState> alarmStates(JsonNode verdict) {
        Map<String, AlarmState> states = new HashMap<>();
        for (JsonNode check : verdict.path("checks")) {
            if (CheckVerdict.CheckKind.ALARM.name().equals(check.path("kind").asText())) {
                states.put(
                        check.path("name").asText(),
                        switch (check.path("verdict").asText()) {
                            case "PASS" -> AlarmState.OK;
                            case "FAIL" -> AlarmState.ALARM;
                            default ->
                                check.path("reason").asText().contains("INSUFFICIENT_DATA")
                                        ? AlarmState.INSUFFICIENT_DATA
                                        : AlarmState.MISSING;
                        });
            }
        }
        return states;
    }

    /** Whether any series read had a data point: a replay that saw none says so instead of judging silence. */
    private static final class DataSeen {
        boolean any;
    }

    /** The metric source, read as it is; the alarms as the replayed tick saw them. */
    private static final class PastMetricSource implements MetricSource {
        private final MetricSource metrics;
        private final Map<String, AlarmState> alarms;
        private final DataSeen seen;

        PastMetricSource(MetricSource metrics, Map<String, AlarmState> alarms, DataSeen seen) {
            this.metrics = metrics;
            this.alarms = alarms;
            this.seen = seen;
        }

        @Override
        public Map<String, MetricSeries> series(
                List<SeriesQuery> queries, Instant start, Instant end, int periodSeconds) {
            Map<String, MetricSeries> series = metrics.series(queries, start, end, periodSeconds);
            // The canary's data is what a replay judges: the baseline alone (the live version always has some) is no
            // data.
            seen.any |= queries.stream()
                    .filter(AnalysisService::isCanarySide)
                    .anyMatch(query ->
                            !series.getOrDefault(query.id(), MetricSeries.EMPTY).isEmpty());
            return series;
        }

        @Override
        public Map<String, AlarmState> alarmStates(List<String> alarmNames) {
            Map<String, AlarmState> states = new LinkedHashMap<>();
            alarmNames.forEach(name -> states.put(name, alarms.getOrDefault(name, AlarmState.MISSING)));
            return states;
        }
    }
}
