package dev.tollgate.functions.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.LockService;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.rollout.DecisionService;
import dev.tollgate.watch.PostPromotionWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecideHandlerTest {

    private static final String DEPLOYMENT = "checkout-2026-11-24-v42";
    private static final Map<String, String> CANARY = Map.of("Service", "checkout", "Version", "v42");
    private static final Map<String, String> BASELINE = Map.of("Service", "checkout", "Version", "v41");
    private static final Instant STEP_STARTED = Instant.parse("2026-11-24T10:20:00Z");

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final FakeMetricSource metrics = new FakeMetricSource()
            .alarm("checkout-canary-anomaly", AlarmState.OK)
            .alarm("checkout-p99-slo", AlarmState.OK);
    // The sample tick: step 2 (25 %) began at 10:20, its bake time is 300 s, and the tick is at 10:25:30.
    private final MutableClock clock = new MutableClock(STEP_STARTED.plusSeconds(5 * 60 + 30));
    private final DecideHandler handler = new DecideHandler(
            new DecisionService(
                    new AnalysisService(metrics, new SequentialJudge(), clock), store, new DecisionPolicy(), clock),
            new PostPromotionWatch(metrics, new SequentialJudge(), store, clock, DeploymentEvents.NONE));

    @BeforeEach
    void deploymentIsRecorded() {
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");
    }

    private void minutes(double canaryRequests, double canaryErrors, double baselineRequests, double baselineErrors) {
        for (int index = 0; index < 5; index++) {
            Instant at = STEP_STARTED.plusSeconds(60L * index + 10);
            metrics.put("App", "Requests", CANARY, at, canaryRequests)
                    .put("App", "5xx", CANARY, at, canaryErrors)
                    .put("App", "Requests", BASELINE, at, baselineRequests)
                    .put("App", "5xx", BASELINE, at, baselineErrors)
                    .put("App", "Latency", CANARY, at, 180)
                    .put("App", "Latency", BASELINE, at, 175);
        }
    }

    /**
     * A healthy step: five errors a period would be expected on the canary at the baseline's rate, so
     * the judge must rule out a rate 1.5 times the baseline's before it passes; a canary at less than
     * half the rate does within five periods.
     */
    private void healthyMinutes() {
        minutes(2_500, 2, 7_500, 15);
    }

    private List<TimelineEntry> ticksRecorded() {
        return store.find(DEPLOYMENT).orElseThrow().timeline().stream()
                .filter(entry -> entry.state().equals("Decide"))
                .toList();
    }

    @Test
    void movesToTheNextStepWhenTheStepPassedAfterItsBakeTimeReadingEverythingInOneCallEach() {
        healthyMinutes();

        JsonNode decision = SampleEvents.invoke(handler, "decide.json");

        assertEquals("NEXT_STEP", decision.path("action").asText(), decision.toString());
        assertEquals(2, decision.path("nextStepIndex").asInt());
        assertTrue(decision.path("reason").asText().startsWith("step 2/4 (25 %) passed"), decision.toString());
        assertEquals(
                "PASS",
                decision.path("verdict").path("verdict").asText(),
                "the verdict the decision rests on comes with it");
        assertTrue(
                decision.has("onApproval") && decision.get("onApproval").isNull(),
                "written out even when empty: the Decide state selects it by path");
        assertEquals(5, decision.path("verdict").path("checks").size(), "error rate, latency, SLO and two alarms");
        assertEquals(1, metrics.seriesCallCount(), "one GetMetricData for all metrics, canary and baseline");
        assertEquals(1, metrics.alarmCallCount(), "one DescribeAlarms for all alarms");
    }

    @Test
    void answersWhenTheNextTickIsDueTheFirstTickAfterARetryAWholePeriodLater() {
        healthyMinutes();
        String event = SampleEvents.read("decide.json");

        JsonNode decision = SampleEvents.invokeWith(handler, event);
        JsonNode retried = SampleEvents.invokeWith(handler, event.replace("\"retryCount\": 0", "\"retryCount\": 2"));

        // At 10:25:30 the tick read up to 10:25:00 (a minute's period is published 15 s after its end).
        assertEquals(
                "2026-11-24T10:26:15Z", decision.path("nextTickAt").asText(), "10:25-10:26 is published at 10:26:15");
        assertEquals(
                "2026-11-24T10:27:15Z", retried.path("nextTickAt").asText(), "the first due a minute after 10:25:30");
    }

    @Test
    void rollsBackWhenCanaryErrorRateTriplesAtTwentyFivePercent() {
        minutes(2_500, 75, 7_500, 75);

        JsonNode decision = SampleEvents.invoke(handler, "decide.json");

        assertEquals("ROLLBACK", decision.path("action").asText(), decision.toString());
        assertTrue(
                decision.path("reason").asText().startsWith("step 2/4 (25 %) failed: error-rate"), decision.toString());
        JsonNode errorRate = decision.path("verdict").path("checks").get(0);
        assertEquals("FAIL", errorRate.path("verdict").asText());
        assertEquals(375, errorRate.path("numbers").path("canaryErrors").asDouble());
    }

    @Test
    void bakesOnWithoutAnyDataRatherThanPassing() {
        JsonNode decision = SampleEvents.invoke(handler, "decide.json");

        assertEquals("INCONCLUSIVE", decision.path("verdict").path("verdict").asText(), decision.toString());
        assertEquals("CONTINUE_BAKING", decision.path("action").asText());
        assertTrue(decision.path("reason").asText().startsWith("bake time over but undecided"), decision.toString());
    }

    @Test
    void anAlarmWithInsufficientDataKeepsTheStepBaking() {
        healthyMinutes();
        metrics.alarm("checkout-p99-slo", AlarmState.INSUFFICIENT_DATA);

        JsonNode decision = SampleEvents.invoke(handler, "decide.json");

        assertEquals("INCONCLUSIVE", decision.path("verdict").path("verdict").asText(), decision.toString());
        assertEquals("CONTINUE_BAKING", decision.path("action").asText());
    }

    @Test
    void rollsBackAtTheNextTickWhenAnOperatorAborted() {
        healthyMinutes();
        store.requestOperatorAction(
                DEPLOYMENT, new OperatorRequest(OperatorRequest.Kind.ABORT, "alice", clock.instant(), "pager"));

        JsonNode decision = SampleEvents.invoke(handler, "decide.json");

        assertEquals("ROLLBACK", decision.path("action").asText());
        assertEquals("aborted by alice: pager", decision.path("reason").asText());
        assertEquals("alice", decision.path("decidedBy").asText());
        assertEquals(
                "PASS",
                decision.path("verdict").path("verdict").asText(),
                "the judge's view is kept beside the operator's");
    }

    @Test
    void recordsABakingTickOnlyWhenItsVerdictChanges() {
        String event = SampleEvents.read("decide.json");
        clock.advance(Duration.ofSeconds(-120));
        // Ticks the state machine started at 10:21:30, 10:22:30 and 10:23:30 (now), all within the bake time.
        for (String startedAt : List.of("2026-11-24T10:21:30Z", "2026-11-24T10:22:30Z", "2026-11-24T10:23:30Z")) {
            SampleEvents.invokeWith(
                    handler,
                    event.replace(
                            "\"tickStartedAt\": \"2026-11-24T10:25:30Z\"", "\"tickStartedAt\": \"" + startedAt + "\""));
        }

        assertEquals(1, ticksRecorded().size(), "three INCONCLUSIVE ticks that only bake on make one entry");
    }

    @Test
    void aVerdictFlippingForHoursNotesAtMostTenBakingTicksAStepOnTheRecord() {
        String event = SampleEvents.read("decide.json");
        clock.advance(Duration.ofSeconds(-120));
        for (int tick = 0; tick < 30; tick++) {
            if (tick % 2 == 1) {
                healthyMinutes();
            } else {
                metrics.alarm("checkout-p99-slo", tick % 4 == 0 ? AlarmState.INSUFFICIENT_DATA : AlarmState.OK);
            }
            // Started before the clock's 10:23:30 (a tick is never started after the function runs), within the bake
            // time.
            SampleEvents.invokeWith(
                    handler,
                    event.replace(
                            "2026-11-24T10:25:30Z",
                            Instant.parse("2026-11-24T10:23:00Z")
                                    .plusSeconds(tick)
                                    .toString()));
        }

        List<TimelineEntry> ticks = ticksRecorded();
        assertEquals(10, ticks.size(), "fourteen flips, ten notes: " + ticks);
        assertTrue(ticks.stream()
                .allMatch(entry -> entry.message().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 600));
    }

    @Test
    void recordsTheDecisionOnTheTimelineOncePerTick() {
        healthyMinutes();

        SampleEvents.invoke(handler, "decide.json");
        SampleEvents.invoke(handler, "decide.json");

        assertEquals(1, ticksRecorded().size());
    }

    @Test
    void aRetriedTickThatDecidesOtherwiseRecordsTheDecisionTheStateMachineActsOn() {
        SampleEvents.invoke(handler, "decide.json");
        healthyMinutes();

        JsonNode retried = SampleEvents.invoke(handler, "decide.json");

        assertEquals("NEXT_STEP", retried.path("action").asText(), retried.toString());
        assertEquals(
                List.of("CONTINUE_BAKING", "NEXT_STEP"),
                ticksRecorded().stream()
                        .map(entry ->
                                entry.message().substring(0, entry.message().indexOf(':')))
                        .toList());
    }

    /**
     * The sample watch tick: promoted at 11:00 (the rollout took its lock at 10:25:30), the tick at 11:05:30 of a
     * 600 s watch reads the new version's five periods since 11:00 against the old version's five before 10:25.
     */
    @Test
    void aWatchTickJudgesTheNewVersionAgainstTheOldVersionsHistoryAndWatchesOn() {
        Instant promoted = Instant.parse("2026-11-24T11:00:00Z");
        clock.advance(Duration.between(clock.instant(), promoted.plusSeconds(5 * 60 + 30)));
        for (int index = 0; index < 5; index++) {
            Instant history = STEP_STARTED.plusSeconds(60L * index + 10);
            Instant watched = promoted.plusSeconds(60L * index + 10);
            metrics.put("App", "Requests", BASELINE, history, 7_500)
                    .put("App", "5xx", BASELINE, history, 15)
                    .put("App", "Latency", BASELINE, history, 175)
                    .put("App", "Requests", CANARY, watched, 7_500)
                    .put("App", "5xx", CANARY, watched, 6)
                    .put("App", "Latency", CANARY, watched, 180);
        }

        JsonNode tick = SampleEvents.invoke(handler, "decide-watch-after-promotion.json");

        assertEquals("CONTINUE_WATCHING", tick.path("action").asText(), tick.toString());
        assertTrue(
                tick.path("reason").asText().startsWith("watching 330 s of 600 s after the promotion; PASS so far"),
                tick.toString());
        assertEquals(330, tick.path("watchedSeconds").asInt());
        assertEquals(
                "PASS", tick.path("verdict").path("verdict").asText(), "the verdict the tick rests on comes with it");
    }
}
