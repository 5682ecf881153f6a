package dev.tollgate.functions.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.SequentialJudge;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalyzeStepHandlerTest {

    private static final Map<String, String> CANARY = Map.of("Service", "checkout", "Version", "v42");
    private static final Map<String, String> BASELINE = Map.of("Service", "checkout", "Version", "v41");
    private static final Instant STEP_STARTED = Instant.parse("2026-11-24T10:20:00Z");

    private final FakeMetricSource metrics = new FakeMetricSource()
            .alarm("checkout-canary-anomaly", AlarmState.OK)
            .alarm("checkout-p99-slo", AlarmState.OK);
    private final MutableClock clock = new MutableClock(STEP_STARTED.plusSeconds(5 * 60 + 30));
    private final AnalyzeStepHandler handler = new AnalyzeStepHandler(new AnalysisService(metrics, new SequentialJudge(), clock));

    private void minute(int index, double canaryRequests, double canaryErrors, double baselineRequests, double baselineErrors) {
        Instant at = STEP_STARTED.plusSeconds(60L * index + 10);
        metrics.put("App", "Requests", CANARY, at, canaryRequests).put("App", "5xx", CANARY, at, canaryErrors)
                .put("App", "Requests", BASELINE, at, baselineRequests).put("App", "5xx", BASELINE, at, baselineErrors)
                .put("App", "Latency", CANARY, at, 180).put("App", "Latency", BASELINE, at, 175);
    }

    @Test
    void rollsBackWhenCanaryErrorRateTriplesAtTwentyFivePercent() {
        for (int i = 0; i < 5; i++) {
            minute(i, 2_500, 75, 7_500, 75);
        }

        JsonNode verdict = SampleEvents.invoke(handler, "analyze-step.json");

        assertEquals("FAIL", verdict.path("verdict").asText(), verdict.toString());
        assertEquals("FAIL", verdict.path("checks").get(0).path("verdict").asText());
        assertEquals(375, verdict.path("checks").get(0).path("numbers").path("canaryErrors").asDouble());
    }

    @Test
    void passesAHealthyStepWithEnoughTrafficReadingEverythingInOneCallEach() {
        // Five errors a period would be expected on the canary at the baseline's rate, so the judge must rule
        // out a rate 1.5 times the baseline's before it passes; a canary at less than half the rate does.
        for (int i = 0; i < 5; i++) {
            minute(i, 2_500, 2, 7_500, 15);
        }

        JsonNode verdict = SampleEvents.invoke(handler, "analyze-step.json");

        assertEquals("PASS", verdict.path("verdict").asText(), verdict.toString());
        assertEquals(5, verdict.path("checks").size(), "error rate, latency, SLO and two alarms");
        assertEquals(1, metrics.seriesCallCount(), "one GetMetricData for all metrics, canary and baseline");
        assertEquals(1, metrics.alarmCallCount(), "one DescribeAlarms for all alarms");
    }

    @Test
    void staysInconclusiveWithoutAnyDataRatherThanPassing() {
        JsonNode verdict = SampleEvents.invoke(handler, "analyze-step.json");

        assertEquals("INCONCLUSIVE", verdict.path("verdict").asText(), verdict.toString());
    }

    @Test
    void anAlarmWithInsufficientDataKeepsTheStepInconclusive() {
        for (int i = 0; i < 5; i++) {
            minute(i, 2_500, 5, 7_500, 15);
        }
        metrics.alarm("checkout-p99-slo", AlarmState.INSUFFICIENT_DATA);

        JsonNode verdict = SampleEvents.invoke(handler, "analyze-step.json");

        assertEquals("INCONCLUSIVE", verdict.path("verdict").asText(), verdict.toString());
    }
}
