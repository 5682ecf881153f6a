package dev.tollgate.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.decision.Decision;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.errors.InvalidWindowException;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.json.Json;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplayServiceTest {

    private static final Instant FROM = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Map<String, String> CANARY = Map.of("Version", "v42");
    private static final Map<String, String> BASELINE = Map.of("Version", "v41");

    private static DeploymentSpec spec(int periodSeconds) {
        return new SpecValidator().validate(Json.tree("""
                {
                  "deploymentId": "checkout-v42", "service": "checkout",
                  "target": { "type": "LAMBDA_ALIAS", "functionName": "checkout-api", "alias": "live", "version": "42" },
                  "steps": [ { "weight": 10, "bakeSeconds": %d, "maxBakeSeconds": %d, "minRequests": 500 },
                             { "weight": 50, "bakeSeconds": %d, "minRequests": 500 }, { "weight": 100 } ],
                  "analysis": {
                    "periodSeconds": %d,
                    "canaryDimensions": { "Version": "v42" }, "baselineDimensions": { "Version": "v41" },
                    "metrics": [ { "name": "error-rate", "kind": "RATIO", "tolerance": 1.0, "critical": true,
                                   "numerator": { "namespace": "App", "metric": "Errors" },
                                   "denominator": { "namespace": "App", "metric": "Requests" } } ],
                    "alarms": ["checkout-p99"]
                  }
                }
                """.formatted(
                        5 * periodSeconds, 10 * periodSeconds, 5 * periodSeconds, periodSeconds)));
    }

    /** Canary and baseline a minute apart, each period: {@code canaryErrors} of 1000 canary requests, 1 % on the baseline. */
    private static FakeMetricSource traffic(int periods, int periodSeconds, int canaryErrors) {
        FakeMetricSource metrics = new FakeMetricSource().alarm("checkout-p99", AlarmState.OK);
        for (int period = 0; period < periods; period++) {
            Instant at = FROM.plusSeconds((long) periodSeconds * period + 1);
            metrics.put("App", "Requests", CANARY, at, 1_000)
                    .put("App", "Requests", BASELINE, at, 9_000)
                    .put("App", "Errors", CANARY, at, canaryErrors)
                    .put("App", "Errors", BASELINE, at, 90);
        }
        return metrics;
    }

    private static ReplayService replay(FakeMetricSource metrics) {
        return new ReplayService(metrics, new SequentialJudge(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void refusesWindowsItCannotReplayWithEveryReason() {
        DeploymentSpec perMinute = spec(60);

        InvalidWindowException future = assertThrows(
                InvalidWindowException.class,
                () -> ReplayService.requireReplayableWindow(
                        perMinute, NOW.minusSeconds(600), NOW.plusSeconds(60), NOW));
        InvalidWindowException tooOld = assertThrows(
                InvalidWindowException.class,
                () -> ReplayService.requireReplayableWindow(
                        perMinute,
                        NOW.minus(Duration.ofDays(16)),
                        NOW.minus(Duration.ofDays(16)).plusSeconds(3600),
                        NOW));
        InvalidWindowException backwards = assertThrows(
                InvalidWindowException.class,
                () -> ReplayService.requireReplayableWindow(
                        perMinute, NOW.minusSeconds(60), NOW.minusSeconds(600), NOW));

        assertTrue(future.getMessage().contains("is in the future"), future.getMessage());
        assertTrue(
                tooOld.getMessage().contains("older than CloudWatch keeps data at a 60 s period (15 days)"),
                tooOld.getMessage());
        assertTrue(backwards.getMessage().contains("is not after"), backwards.getMessage());
        ReplayService.requireReplayableWindow(
                spec(300), NOW.minus(Duration.ofDays(16)), NOW.minus(Duration.ofDays(15)), NOW);
        assertThrows(
                InvalidWindowException.class,
                () -> ReplayService.requireReplayableWindow(
                        spec(10), NOW.minus(Duration.ofHours(4)), NOW.minus(Duration.ofHours(3)), NOW),
                "high-resolution data is kept three hours");
    }

    @Test
    void refusesADeploymentThatNeverJudgedAStep() {
        InvalidWindowException refused = assertThrows(
                InvalidWindowException.class,
                () -> replay(new FakeMetricSource()).replayRecorded("checkout-v42", spec(60), List.of()));

        assertTrue(refused.getMessage().contains("holds no analysis tick"), refused.getMessage());
    }

    @Test
    void aWindowWithoutDataSaysSoAndNeverPasses() {
        Replay replay = replay(new FakeMetricSource()).replayWindow(spec(60), FROM, FROM.plusSeconds(20 * 60));

        assertEquals(Replay.NO_DATA, replay.outcome());
        assertTrue(replay.ticks().stream()
                .noneMatch(tick -> tick.verdict().verdict().name().equals("PASS")));
        assertTrue(ReplayOutput.conclusion(replay).contains("Silence is never a PASS"));
    }

    @Test
    void aWindowWithTheBaselinesDataButNoneOfTheCanarysIsNoData() {
        FakeMetricSource liveVersionOnly = new FakeMetricSource();
        for (int period = 0; period < 20; period++) {
            Instant at = FROM.plusSeconds(60L * period + 1);
            liveVersionOnly.put("App", "Requests", BASELINE, at, 9_000).put("App", "Errors", BASELINE, at, 90);
        }

        Replay replay = replay(liveVersionOnly).replayWindow(spec(60), FROM, FROM.plusSeconds(20 * 60));

        assertEquals(Replay.NO_DATA, replay.outcome(), "a release that never served a request was never judged");
    }

    @Test
    void judgesAReleaseThatRanWithoutTollgateStepByStep() {
        Replay healthy = replay(traffic(40, 60, 10)).replayWindow(spec(60), FROM, FROM.plusSeconds(40 * 60));
        Replay failing = replay(traffic(40, 60, 80)).replayWindow(spec(60), FROM, FROM.plusSeconds(40 * 60));
        Replay tooShort = replay(traffic(40, 60, 10)).replayWindow(spec(60), FROM, FROM.plusSeconds(3 * 60));

        assertEquals("PROMOTE", healthy.outcome(), String.join("\n", ReplayOutput.ticks(healthy)));
        assertEquals(
                List.of(0, 1),
                healthy.ticks().stream()
                        .map(tick -> tick.tick().progress().stepIndex())
                        .distinct()
                        .toList(),
                "the second step starts where the first passed");
        assertEquals("ROLLBACK", failing.outcome());
        assertEquals(Replay.UNDECIDED, tooShort.outcome());
        assertTrue(
                healthy.ticks().stream()
                        .flatMap(tick -> tick.verdict().checks().stream())
                        .noneMatch(check -> check.name().equals("checkout-p99")),
                "alarms are left out of a window's replay");
    }

    /** The ticks with the last one recorded as deciding {@code action} on a {@code verdict} of the error rate, from {@code samples}. */
    private static List<ReplayTick> withLastTickRecordedAs(
            List<ReplayTick> ticks, String verdict, Map<String, Map<String, Double>> samples, String action) {
        List<ReplayTick> changed = new ArrayList<>(ticks);
        ReplayTick last = changed.get(changed.size() - 1);
        RecordedTick then = last.recorded().orElseThrow();
        changed.set(
                changed.size() - 1,
                new ReplayTick(
                        last.progress(),
                        last.at(),
                        Optional.of(new RecordedTick(
                                verdict,
                                Map.of("error-rate", verdict, "checkout-p99", "PASS"),
                                samples,
                                action,
                                last.progress().stepIndex(),
                                then.alarmStates()))));
        return changed;
    }

    /** Live ticks as DecisionService takes them, each recorded as its history would keep it. */
    private static List<ReplayTick> liveTicks(DeploymentSpec spec, FakeMetricSource metrics) {
        List<ReplayTick> ticks = new ArrayList<>();
        StepProgress progress = StepProgress.started(0, 10, FROM.plusSeconds(7), 60);
        for (int minute = 1; minute <= 30; minute++) {
            Instant at = FROM.plusSeconds(60L * minute + 3);
            StepVerdict verdict = new AnalysisService(metrics, new SequentialJudge(), Clock.fixed(at, ZoneOffset.UTC))
                    .analyse(spec, progress);
            Decision decision = new DecisionPolicy().decide(spec, progress, verdict, Optional.empty(), at);
            ticks.add(new ReplayTick(
                    progress,
                    at,
                    Optional.of(RecordedTick.of(
                            Json.tree(Json.write(verdict)), decision.action().name(), decision.nextStepIndex()))));
            switch (decision.action()) {
                case CONTINUE_BAKING -> {}
                case NEXT_STEP -> progress = StepProgress.started(decision.nextStepIndex(), 50, at, 60);
                default -> {
                    return ticks;
                }
            }
        }
        return ticks;
    }

    @Test
    void replayingARecordedDeploymentWithTheSameJudgeAgreesAtEveryTick() {
        DeploymentSpec spec = spec(60);
        FakeMetricSource metrics = traffic(40, 60, 10);
        List<ReplayTick> ticks = liveTicks(spec, metrics);

        Replay replay = replay(metrics).replayRecorded("checkout-v42", spec, ticks);

        assertEquals(0, replay.disagreements(), String.join("\n", ReplayOutput.ticks(replay)));
        assertEquals("PROMOTE", replay.outcome());
        assertTrue(ReplayOutput.conclusion(replay).contains("agrees with all " + ticks.size() + " recorded ticks"));
        Map<String, Double> read = ticks.get(ticks.size() - 1)
                .recorded()
                .orElseThrow()
                .checkSamples()
                .get("error-rate");
        double periods = read.get("pairedPeriods");
        assertTrue(periods >= 2, read.toString());
        assertEquals(
                Map.of(
                        "canaryRequests",
                        1_000 * periods,
                        "baselineRequests",
                        9_000 * periods,
                        "pairedPeriods",
                        periods,
                        "skippedPeriods",
                        0.0),
                read,
                "a tick records how much data each check read");
    }

    @Test
    void aTickThatReadLessDataThanCloudWatchHoldsNowIsNotCountedAsADisagreement() {
        DeploymentSpec spec = spec(60);
        FakeMetricSource metrics = traffic(40, 60, 10);
        List<ReplayTick> ticks = liveTicks(spec, metrics);
        RecordedTick then = ticks.get(ticks.size() - 1).recorded().orElseThrow();
        // As the live tick saw it when the last period's data reached CloudWatch after the tick read the window.
        Map<String, Double> lessData = new LinkedHashMap<>(then.checkSamples().get("error-rate"));
        lessData.merge("canaryRequests", -1_000.0, Double::sum);
        lessData.merge("pairedPeriods", -1.0, Double::sum);
        ticks = withLastTickRecordedAs(ticks, "INCONCLUSIVE", Map.of("error-rate", lessData), "CONTINUE_BAKING");

        Replay replay = replay(metrics).replayRecorded("checkout-v42", spec, ticks);
        ReplayedTick lateData = replay.ticks().get(replay.ticks().size() - 1);

        assertFalse(lateData.agrees());
        assertTrue(lateData.readOtherData());
        assertEquals(0, replay.disagreements());
        assertEquals(1, replay.readOtherData());
        assertTrue(
                lateData.dataChanges().get(0).startsWith("error-rate read "),
                lateData.dataChanges().toString());
        assertTrue(
                lateData.dataChanges().get(0).contains(" pairedPeriods then, "),
                lateData.dataChanges().toString());
        String conclusion = ReplayOutput.conclusion(replay);
        assertTrue(conclusion.contains("agrees with all " + (ticks.size() - 1) + " recorded ticks"), conclusion);
        assertTrue(
                conclusion.contains("1 more decided otherwise on data CloudWatch received after they read it"),
                conclusion);
        assertTrue(ReplayOutput.ticks(replay).stream().anyMatch(line -> line.contains("so this is no disagreement")));
    }

    @Test
    void saysWhereTodaysJudgeDisagreesWithARecordedTick() {
        DeploymentSpec spec = spec(60);
        FakeMetricSource metrics = traffic(40, 60, 10);
        List<ReplayTick> live = liveTicks(spec, metrics);
        // As if an earlier judge had rolled this tick back.
        List<ReplayTick> ticks = withLastTickRecordedAs(
                live, "FAIL", live.get(live.size() - 1).recorded().orElseThrow().checkSamples(), "ROLLBACK");

        Replay replay = replay(metrics).replayRecorded("checkout-v42", spec, ticks);
        ReplayedTick differing = replay.ticks().get(replay.ticks().size() - 1);

        assertEquals(1, replay.disagreements());
        assertFalse(differing.agrees());
        assertTrue(
                differing.differences().contains("verdict FAIL then, PASS now"),
                differing.differences().toString());
        assertTrue(differing.differences().stream().anyMatch(difference -> difference.startsWith("decision ROLLBACK")));
        assertTrue(ReplayOutput.conclusion(replay).contains("DISAGREES at 1 of"));
    }
}
