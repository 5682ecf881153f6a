package dev.tollgate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.CheckVerdict;
import dev.tollgate.judge.CheckVerdict.CheckKind;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.metrics.SeriesQuery;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.MetricSpec.MetricRef;
import dev.tollgate.spec.RolloutBudget.Caps;
import dev.tollgate.spec.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnalysisServiceTest {

    @Test
    void asksForNumeratorAndDenominatorOfBothSidesOfARatio() {
        MetricSpec errorRate = new MetricSpec(
                "error-rate",
                MetricKind.RATIO,
                new MetricRef("App", "5xx"),
                new MetricRef("App", "Requests"),
                null,
                null,
                null,
                Map.of("Version", "v42"),
                Map.of("Version", "v41"),
                Direction.INCREASE_IS_BAD,
                0.1,
                true);

        var queries = AnalysisService.queriesFor(3, errorRate);

        assertEquals(4, queries.size());
        assertEquals("m3_cn", queries.get(0).id());
        assertEquals("Sum", queries.get(0).stat());
        assertEquals(Map.of("Version", "v41"), queries.get(3).dimensions());
        assertEquals("Requests", queries.get(3).metric());
    }

    @Test
    void asksForThePercentileAndItsSampleCountOnBothSidesOfAStatistic() {
        MetricSpec p99 = new MetricSpec(
                "p99-latency",
                MetricKind.STATISTIC,
                null,
                null,
                "App",
                "Latency",
                "p99",
                Map.of("Version", "v42"),
                Map.of("Version", "v41"),
                Direction.INCREASE_IS_BAD,
                0.2,
                true);
        MetricSpec maximum = new MetricSpec(
                "max-latency",
                MetricKind.STATISTIC,
                null,
                null,
                "App",
                "Latency",
                "Maximum",
                Map.of("Version", "v42"),
                Map.of("Version", "v41"),
                Direction.INCREASE_IS_BAD,
                0.2,
                true);

        var queries = AnalysisService.queriesFor(1, p99);

        assertEquals(
                List.of("m1_cv", "m1_bv", "m1_cs", "m1_bs"),
                queries.stream().map(SeriesQuery::id).toList());
        assertEquals(
                List.of("p99", "p99", "SampleCount", "SampleCount"),
                queries.stream().map(SeriesQuery::stat).toList());
        assertEquals(Map.of("Version", "v41"), queries.get(3).dimensions());
        assertEquals(
                2,
                AnalysisService.queriesFor(2, maximum).size(),
                "a maximum's noise does not shrink with its sample count");
    }

    /**
     * The largest verdict a tick can give: 50 metrics whose canary does badly in noisy ways (long
     * reasons, every number), the SLO, and 100 alarms with the longest names, some in ALARM, some
     * missing. Held to its caps, it is never larger than the spec's budget counts it.
     */
    @Test
    void theLargestVerdictStaysWithinWhatTheBudgetCounts() throws Exception {
        DeploymentSpec spec = maximalSpec();
        Instant stepStarted = Instant.parse("2026-11-24T10:00:00Z");
        MutableClock clock = new MutableClock(stepStarted.plusSeconds(20 * 60 + 30));
        FakeMetricSource metrics = new FakeMetricSource();
        Random random = new Random(7);
        for (MetricSpec metric : spec.analysis().metrics()) {
            for (int minute = 0; minute < 20; minute++) {
                Instant at = stepStarted.plusSeconds(60L * minute + 10);
                if (metric.kind() == MetricKind.RATIO) {
                    metrics.put(
                                    metric.numerator().namespace(),
                                    metric.numerator().metric(),
                                    metric.canaryDimensions(),
                                    at,
                                    30 + random.nextInt(90))
                            .put(
                                    metric.denominator().namespace(),
                                    metric.denominator().metric(),
                                    metric.canaryDimensions(),
                                    at,
                                    1_000)
                            .put(
                                    metric.numerator().namespace(),
                                    metric.numerator().metric(),
                                    metric.baselineDimensions(),
                                    at,
                                    10 + random.nextInt(5))
                            .put(
                                    metric.denominator().namespace(),
                                    metric.denominator().metric(),
                                    metric.baselineDimensions(),
                                    at,
                                    9_000);
                } else {
                    metrics.put(
                                    metric.namespace(),
                                    metric.metric(),
                                    metric.canaryDimensions(),
                                    at,
                                    100 + random.nextGaussian() * 400)
                            .put(
                                    metric.namespace(),
                                    metric.metric(),
                                    metric.baselineDimensions(),
                                    at,
                                    100 + random.nextGaussian() * 10);
                }
            }
        }
        for (int index = 0; index < spec.analysis().alarms().size(); index += 3) {
            metrics.alarm(
                    spec.analysis().alarms().get(index),
                    index % 2 == 0 ? AlarmState.ALARM : AlarmState.INSUFFICIENT_DATA);
        }
        AnalysisService analysis = new AnalysisService(metrics, new SequentialJudge(), clock);

        StepVerdict verdict =
                analysis.analyse(spec, StepProgress.started(0, spec.step(0).weight(), stepStarted, 60));

        assertEquals(Verdict.FAIL, verdict.verdict(), verdict.reason());
        assertEquals(50 + 1 + 100, verdict.checks().size());
        long bytes = Json.MAPPER.writeValueAsBytes(verdict).length;
        assertTrue(bytes <= Caps.verdictBytes(spec.analysis()), bytes + " > " + Caps.verdictBytes(spec.analysis()));
    }

    @Test
    void reasonsAndNumbersBeyondTheirCapsAreCut() throws Exception {
        Map<String, Double> numbers = new HashMap<>();
        for (int index = 0; index < 100; index++) {
            numbers.put("number" + index, -1.2345678901234567E-300);
        }
        numbers.put("a".repeat(200), 1.0);
        List<CheckVerdict> checks = new ArrayList<>();
        checks.add(new CheckVerdict("error-rate", CheckKind.METRIC, Verdict.FAIL, "\u00e9\"".repeat(5_000), numbers));
        checks.add(new CheckVerdict("an-alarm", CheckKind.ALARM, Verdict.FAIL, "x".repeat(5_000), Map.of()));
        StepVerdict verdict =
                new StepVerdict(Verdict.FAIL, "y".repeat(50_000), checks, true, Instant.parse("2026-11-24T10:00:00Z"));

        StepVerdict bounded = AnalysisService.bounded(verdict);

        assertTrue(jsonBytes(bounded.reason()) <= Caps.VERDICT_REASON_BYTES);
        assertTrue(jsonBytes(bounded.checks().get(0).reason()) <= Caps.CHECK_REASON_BYTES);
        assertTrue(jsonBytes(bounded.checks().get(1).reason()) <= Caps.ALARM_REASON_BYTES);
        assertEquals(Caps.NUMBERS_PER_CHECK, bounded.checks().get(0).numbers().size());
        assertTrue(bounded.checks().get(0).numbers().keySet().stream()
                .allMatch(name -> name.length() <= Caps.NUMBER_NAME_CHARACTERS));
        assertEquals(Verdict.FAIL, bounded.verdict(), "the verdict itself never changes");
    }

    private static int jsonBytes(String text) throws Exception {
        return Json.MAPPER.writeValueAsString(text).getBytes(StandardCharsets.UTF_8).length - 2;
    }

    /** The sample tick's spec grown to 50 metrics, the SLO, and 100 alarms of 255 characters. */
    private static DeploymentSpec maximalSpec() {
        ObjectNode spec =
                (ObjectNode) Json.tree(SampleEvents.read("decide.json")).get("spec");
        ObjectNode analysis = (ObjectNode) spec.get("analysis");
        ObjectNode errorRate = (ObjectNode) analysis.get("metrics").get(0);
        ObjectNode latency = (ObjectNode) analysis.get("metrics").get(1);
        ArrayNode metrics = analysis.putArray("metrics");
        for (int index = 0; index < SpecValidator.MAX_METRICS; index++) {
            ObjectNode metric = (index % 2 == 0 ? errorRate : latency).deepCopy();
            metric.put("name", "metric-number-" + index).put("critical", index % 4 == 0);
            if (index % 2 == 0) {
                ((ObjectNode) metric.get("numerator")).put("metric", "Errors" + index);
            } else {
                metric.put("metric", "Latency" + index);
            }
            metrics.add(metric);
        }
        ArrayNode alarms = analysis.putArray("alarms");
        for (int index = 0; index < SpecValidator.MAX_ALARMS; index++) {
            String prefix = "alarm \u00e9 \"" + index + "\" ";
            alarms.add(prefix + "z".repeat(255 - prefix.length()));
        }
        return new SpecValidator().validate(spec);
    }
}
