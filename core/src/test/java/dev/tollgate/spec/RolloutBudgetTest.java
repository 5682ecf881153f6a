package dev.tollgate.spec;

import static dev.tollgate.spec.SpecFixtures.designExample;
import static dev.tollgate.spec.SpecFixtures.minimal;
import static dev.tollgate.spec.SpecFixtures.onlyViolation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.samples.SampleEventFiles;
import dev.tollgate.spec.RolloutBudget.Caps;
import dev.tollgate.spec.RolloutBudget.Estimate;
import dev.tollgate.spec.RolloutBudget.TaskState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The worst case of a spec against Step Functions' quotas, and the validator refusing what would not fit. */
class RolloutBudgetTest {

    private final SpecValidator validator = new SpecValidator();

    /** {@code steps} steps before the promotion, each baking {@code bakeSeconds} (maxBakeSeconds twice that) at {@code periodSeconds}. */
    private static ObjectNode steps(int steps, int bakeSeconds, int periodSeconds) {
        ObjectNode spec = minimal();
        ArrayNode array = spec.putArray("steps");
        for (int index = 0; index < steps; index++) {
            array.addObject().put("weight", (index + 1) * (99 / steps)).put("bakeSeconds", bakeSeconds);
        }
        array.addObject().put("weight", 100);
        ((ObjectNode) spec.get("analysis")).put("periodSeconds", periodSeconds);
        return spec;
    }

    @Test
    void aTickCostsNineEventsWithoutRetriesAndThirtySixWithEveryRetry() {
        assertEquals(
                9,
                RolloutBudget.EVENTS_PER_TICK,
                "Bake (2), Decide (entered, scheduled, started, succeeded, exited), RouteDecision (2)");
        assertEquals(10, TaskState.DECIDE.maxAttempts(), "a try and the retries of its two Retry rules (4 and 5)");
        assertEquals(32, TaskState.DECIDE.maxEvents());
        assertEquals(36, RolloutBudget.MAX_EVENTS_PER_TICK, "with Bake and RouteDecision");
        assertEquals(42, TaskState.AWAIT_APPROVAL.maxEvents(), "a token's task also records TaskSubmitted per attempt");
    }

    @Test
    void theIssuesTwentyStepsOfTwoDaysAtOneMinuteAreRefusedWithTheFigures() {
        ObjectNode spec = steps(19, 86_400, 60);

        Violation refused = onlyViolation(spec);

        assertEquals("$.steps", refused.path());
        assertTrue(refused.problem().startsWith("the worst case is "), refused.problem());
        assertTrue(
                refused.problem().contains("54,739 analysis ticks (every 60 s up to each step's maxBakeSeconds)"),
                refused.problem());
        assertTrue(
                refused.problem().contains("above the 24,000 Tollgate allows of the 25,000 AWS allows an execution"),
                refused.problem());
        assertTrue(refused.allowed().contains("a tick costs 9 events, up to 36 with retries"), refused.allowed());
        assertTrue(
                refused.allowed().contains("of maxBakeSeconds over all steps at one tick per 60 s"), refused.allowed());
    }

    @Test
    void aSpecAtTheEdgeOfTheHistoryQuotaValidatesAndOneMinuteMoreOfBakeDoesNot() {
        int bake = longestBakeThatFits(4, 60);
        ObjectNode atTheEdge = steps(4, bake, 60);
        ObjectNode pastIt = steps(4, bake + 60, 60);

        Estimate edge = RolloutBudget.of(validator.validate(atTheEdge));
        Violation refused = onlyViolation(pastIt);

        assertTrue(edge.historyEvents() <= RolloutBudget.HISTORY_EVENT_LIMIT, edge.toString());
        assertTrue(
                edge.historyEvents() > RolloutBudget.HISTORY_EVENT_LIMIT - 200,
                "the edge is within a minute of bake: " + edge);
        assertTrue(refused.problem().contains("history events"), refused.toString());
        // Four steps that may bake four hours each, judged every minute, fit: a long rollout needs no continuation.
        assertTrue(2 * bake >= 4 * 3_600, "bakeSeconds " + bake);
    }

    private int longestBakeThatFits(int steps, int periodSeconds) {
        return longestBakeThatFits(steps, periodSeconds, false);
    }

    /** The longest bakeSeconds (a multiple of the period) that validates for {@code steps} steps, each gated if {@code gated}. */
    private int longestBakeThatFits(int steps, int periodSeconds, boolean gated) {
        int low = periodSeconds;
        int high = SpecValidator.MAX_BAKE_SECONDS + periodSeconds;
        while (high - low > periodSeconds) {
            int middle = (low + high) / 2 / periodSeconds * periodSeconds;
            boolean fits;
            try {
                validator.validate(gated(steps(steps, middle, periodSeconds), gated));
                fits = true;
            } catch (dev.tollgate.errors.InvalidSpecException refused) {
                fits = false;
            }
            if (fits) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return low;
    }

    @Test
    void theDesignExampleCostsAFewThousandEventsAtWorstAndHasRoomToSpare() {
        Estimate estimate = RolloutBudget.of(validator.validate(designExample()));

        assertEquals(
                11 + 11 + 16,
                estimate.ticks(),
                "a tick a minute up to each maxBakeSeconds (600, 600, 900), and one for clocks");
        assertTrue(estimate.historyEvents() < 5_000, estimate.toString());
        assertEquals(
                estimate.historyEvents(),
                estimate.parts().stream()
                        .mapToLong(RolloutBudget.Part::historyEvents)
                        .sum());
        assertTrue(estimate.durationSeconds() < RolloutBudget.DURATION_QUOTA_SECONDS);
        assertEquals(List.of(), estimate.overQuota());
    }

    /**
     * The loop bound against every possible mix of retries: rounds that each take their wait and
     * their retries' shortest backoffs, going round while less than the window has passed.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = TaskState.class,
            names = {"DECIDE", "CHECK_CANARY_HEALTH", "ROLL_BACK", "CHECK_MIGRATION_TASK"})
    void theLoopBoundHoldsForEveryMixOfRetries(TaskState task) {
        for (int pacing : new int[] {1, 5, 15, 60, 300}) {
            for (int window : new int[] {1, 30, 120, 900, 3_600}) {
                long mostPossible = mostEventsAnyRetriesRecord(task, pacing, window);
                long bound = RolloutBudget.pollingEvents(task, pacing, window);
                assertTrue(
                        bound >= mostPossible,
                        task + " every " + pacing + " s for " + window + " s: " + bound + " < " + mostPossible);
                assertTrue(
                        bound <= mostPossible * 1.5 + 200,
                        task + " every " + pacing + " s for " + window + " s: " + bound
                                + " is far above what can happen, " + mostPossible);
            }
        }
    }

    /** Dynamic programming over the seconds of the window: the most events rounds can record that all start before it ends. */
    private static long mostEventsAnyRetriesRecord(TaskState task, int pacing, int window) {
        long[] most = new long[window + 1];
        for (int time = 1; time <= window; time++) {
            for (int retries = 0; retries < task.maxAttempts(); retries++) {
                int takes = (int) (pacing + task.fewestSecondsBeforeRetries(retries));
                if (takes <= time) {
                    most[time] = Math.max(most[time], most[time - takes] + 2 + task.events(retries) + 2);
                }
            }
            most[time] = Math.max(most[time], most[time - 1]);
        }
        return most[window] + 2 + task.maxEvents() + 2;
    }

    @Test
    void retriesWaitTheShortestBackoffsFirst() {
        assertEquals(List.of(1L, 2L, 4L, 8L), RolloutBudget.Retrier.LAMBDA.backoffsSeconds());
        assertEquals(0, TaskState.DECIDE.fewestSecondsBeforeRetries(0));
        assertEquals(
                1 + 1 + 2 + 2,
                TaskState.DECIDE.fewestSecondsBeforeRetries(4),
                "Lambda's and the AWS call's rules interleaved");
        assertEquals(15 + 31, TaskState.DECIDE.fewestSecondsBeforeRetries(9));
    }

    @Test
    void codeDeploysWatchAndItsFinishingAreCounted() {
        ObjectNode codeDeploy = (ObjectNode) Json.tree(SampleEventFiles.read("statemachine-codedeploy.json"));
        Estimate estimate = RolloutBudget.of(validator.validate(codeDeploy));

        assertTrue(
                estimate.parts().stream().anyMatch(part -> part.what().startsWith("watching CodeDeploy shift")),
                estimate.toString());
        long ending = estimate.parts().get(estimate.parts().size() - 1).historyEvents();
        assertTrue(
                ending > 2 * RolloutBudget.CODEDEPLOY_SETTLE_SECONDS,
                "promotion and rollback each polled for up to an hour: " + ending);
    }

    @Test
    void aSpecOfFiftyMetricsAndAHundredLongAlarmNamesFitsTheStateAndTheTicksAnswer() {
        ObjectNode spec = maximalAnalysis(designExample(), 255);

        Estimate estimate = RolloutBudget.of(validator.validate(spec));

        assertTrue(estimate.largestStateBytes() <= RolloutBudget.PAYLOAD_QUOTA_BYTES, estimate.toString());
        assertTrue(estimate.largestAnswerBytes() <= RolloutBudget.PAYLOAD_QUOTA_BYTES, estimate.toString());
    }

    @Test
    void aSpecTooLargeForTheStateIsRefusedWithTheFigures() {
        ObjectNode spec = maximalAnalysis(designExample(), 40);
        String longValue = "v".repeat(1_000);
        for (var metric : spec.path("analysis").path("metrics")) {
            ObjectNode canary = ((ObjectNode) metric).putObject("canaryDimensions");
            ObjectNode baseline = ((ObjectNode) metric).putObject("baselineDimensions");
            for (int dimension = 0; dimension < 5; dimension++) {
                canary.put("D" + dimension, "c" + longValue);
                baseline.put("D" + dimension, "b" + longValue);
            }
        }

        Violation refused = onlyViolation(spec);

        assertEquals("$", refused.path());
        assertTrue(refused.problem().startsWith("the state machine's state could reach "), refused.problem());
        assertTrue(
                refused.problem().contains("above the 262,144 (256 KiB) Step Functions allows a state"),
                refused.problem());
    }

    /** The spec with 50 metrics (RATIO and STATISTIC in turn), the SLO, and 100 alarms named with {@code alarmNameLength} characters. */
    static ObjectNode maximalAnalysis(ObjectNode spec, int alarmNameLength) {
        ObjectNode analysis = (ObjectNode) spec.get("analysis");
        ArrayNode metrics = analysis.putArray("metrics");
        for (int index = 0; index < SpecValidator.MAX_METRICS; index++) {
            ObjectNode metric =
                    metrics.addObject().put("name", "metric-" + index).put("tolerance", 0.2);
            if (index % 2 == 0) {
                metric.put("kind", "RATIO");
                metric.putObject("numerator").put("namespace", "App").put("metric", "Errors" + index);
                metric.putObject("denominator").put("namespace", "App").put("metric", "Requests");
            } else {
                metric.put("kind", "STATISTIC")
                        .put("namespace", "App")
                        .put("metric", "Latency" + index)
                        .put("stat", "p99.9");
            }
        }
        ArrayNode alarms = analysis.putArray("alarms");
        for (int index = 0; index < SpecValidator.MAX_ALARMS; index++) {
            String prefix = "alarm-" + index + "-";
            alarms.add(prefix + "x".repeat(alarmNameLength - prefix.length()));
        }
        return spec;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "plain ascii reason",
                "quotes \" and \\ backslashes",
                "latência p99 ≥ 2×",
                "emoji 😀 and\ttab",
                "control \u0001 character"
            })
    void boundedTextFitsItsCapAsJsonAndSaysItWasCut(String sample) throws Exception {
        String text = sample.repeat(200);
        for (int cap : new int[] {10, 100, 600, 2_000}) {
            String bounded = Caps.bounded(text, cap);
            int bytes = Json.MAPPER.writeValueAsString(bounded).getBytes(StandardCharsets.UTF_8).length - 2;

            assertTrue(bytes <= cap, cap + ": " + bytes);
            assertEquals(bytes, Caps.jsonStringBytes(bounded), "counted as Jackson writes it");
            assertTrue(bounded.endsWith("…"));
            assertTrue(bytes > cap - 8, "cut no shorter than needed: " + bytes);
        }
        assertEquals("short", Caps.bounded("short", 100));
    }

    @Test
    void overQuotaSaysWhenTheWorstCaseLastsLongerThanAYear() {
        Estimate estimate = RolloutBudget.of(validator.validate(designExample()));
        Estimate tooLong = new Estimate(
                estimate.historyEvents(),
                estimate.ticks(),
                RolloutBudget.DURATION_QUOTA_SECONDS + 1,
                estimate.largestStateBytes(),
                estimate.largestAnswerBytes(),
                estimate.parts(),
                estimate.tickPart(),
                estimate.eventsPerBakeSecond(),
                estimate.periodSeconds(),
                estimate.largestStateSummary());

        List<Violation> over = tooLong.overQuota();

        assertEquals(1, over.size(), over.toString());
        assertTrue(over.get(0).problem().startsWith("the worst case lasts 365.0 days"), over.toString());
    }

    private static ObjectNode gated(ObjectNode spec, boolean gated) {
        for (var step : spec.path("steps")) {
            if (gated && step.path("weight").asInt() < 100) {
                ((ObjectNode) step).put("approval", true);
            }
        }
        return spec;
    }

    @Test
    void noSpecTheHistoryQuotaAllowsCanLastAYear() {
        // What lasts longest for its events: every step gated (a day for 44 events), the longest bakes the history
        // allows,
        // judged hourly. It still ends within a few months: the history's quota comes long before the year's.
        int bake = longestBakeThatFits(19, 3_600, true);
        ObjectNode spec = gated(steps(19, bake, 3_600), true);

        Estimate estimate = RolloutBudget.of(validator.validate(spec));

        assertTrue(estimate.durationSeconds() < RolloutBudget.DURATION_QUOTA_SECONDS / 3, estimate.toString());
        assertTrue(estimate.historyEvents() <= RolloutBudget.HISTORY_EVENT_LIMIT, estimate.toString());
    }
}
