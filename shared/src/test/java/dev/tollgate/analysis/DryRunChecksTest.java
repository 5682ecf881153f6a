package dev.tollgate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.decision.Decision;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.json.Json;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.CheckVerdict;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.ops.TickOutputs;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Dry-run checks are judged and shown every tick, and never change what the step decides. */
class DryRunChecksTest {

    private static final Instant STEP_STARTED = Instant.parse("2026-11-24T10:00:00Z");
    private static final Map<String, String> CANARY = Map.of("Version", "v42");
    private static final Map<String, String> BASELINE = Map.of("Version", "v41");

    private static ObjectNode spec(boolean withDryRuns) {
        ObjectNode spec = (ObjectNode) Json.tree("""
                {
                  "deploymentId": "checkout-v42", "service": "checkout",
                  "target": { "type": "LAMBDA_ALIAS", "functionName": "checkout-api", "alias": "live", "version": "42" },
                  "steps": [ { "weight": 10, "bakeSeconds": 300, "maxBakeSeconds": 600, "minRequests": 500 }, { "weight": 100 } ],
                  "analysis": {
                    "canaryDimensions": { "Version": "v42" }, "baselineDimensions": { "Version": "v41" },
                    "metrics": [ { "name": "error-rate", "kind": "RATIO", "tolerance": 0.5,
                                   "numerator": { "namespace": "App", "metric": "Errors" },
                                   "denominator": { "namespace": "App", "metric": "Requests" } } ],
                    "slo": { "objective": 0.95 },
                    "alarms": ["checkout-p99"]
                  }
                }
                """);
        if (withDryRuns) {
            ObjectNode analysis = (ObjectNode) spec.get("analysis");
            ((ArrayNode) analysis.get("metrics")).add(Json.tree("""
                    { "name": "timeout-rate", "kind": "RATIO", "tolerance": 0.1, "critical": true, "dryRun": true,
                      "numerator": { "namespace": "App", "metric": "Timeouts" },
                      "denominator": { "namespace": "App", "metric": "Requests" } }
                    """));
            ((ArrayNode) analysis.get("metrics")).add(Json.tree("""
                    { "name": "p99-latency", "kind": "STATISTIC", "namespace": "App", "metric": "Latency", "stat": "p99",
                      "tolerance": 0.1, "dryRun": true }
                    """));
            ((ArrayNode) analysis.get("alarms")).add(Json.tree("""
                    { "name": "checkout-canary-anomaly", "dryRun": true }
                    """));
        }
        return spec;
    }

    /** A healthy canary on the deciding checks; the dry-run ones, where present, fail from the first period. */
    private static FakeMetricSource traffic(int minutes) {
        FakeMetricSource metrics = new FakeMetricSource()
                .alarm("checkout-p99", AlarmState.OK)
                .alarm("checkout-canary-anomaly", AlarmState.ALARM);
        for (int minute = 0; minute < minutes; minute++) {
            Instant at = STEP_STARTED.plusSeconds(60L * minute + 5);
            metrics.put("App", "Requests", CANARY, at, 1_000)
                    .put("App", "Requests", BASELINE, at, 9_000)
                    .put("App", "Errors", CANARY, at, 20)
                    .put("App", "Errors", BASELINE, at, 180)
                    .put("App", "Timeouts", CANARY, at, 300)
                    .put("App", "Timeouts", BASELINE, at, 9)
                    .put("App", "Latency", CANARY, at, 900)
                    .put("App", "Latency", BASELINE, at, 100);
        }
        return metrics;
    }

    /** Every tick of the step, a minute apart, until the policy stops baking; each verdict goes to {@code verdicts}. */
    private static List<Decision> bake(DeploymentSpec spec, Consumer<StepVerdict> verdicts) {
        FakeMetricSource metrics = traffic(12);
        MutableClock clock = new MutableClock(STEP_STARTED);
        AnalysisService analysis = new AnalysisService(metrics, new SequentialJudge(), clock);
        StepProgress progress = StepProgress.started(0, 10, STEP_STARTED, 60);
        List<Decision> decisions = new ArrayList<>();
        for (int tick = 1; tick <= 11; tick++) {
            clock.advance(Duration.ofSeconds(60));
            StepVerdict verdict = analysis.analyse(spec, progress);
            verdicts.accept(verdict);
            Decision decision = new DecisionPolicy().decide(spec, progress, verdict, Optional.empty(), clock.instant());
            decisions.add(decision);
            if (!decision.action().name().equals("CONTINUE_BAKING")) {
                break;
            }
        }
        return decisions;
    }

    @Test
    void aDryRunCheckThatFailsEveryTickChangesNoDecision() {
        DeploymentSpec without = new SpecValidator().validate(spec(false));
        DeploymentSpec with = new SpecValidator().validate(spec(true));
        List<StepVerdict> withDryRuns = new ArrayList<>();

        List<Decision> decided = bake(without, verdict -> {});
        List<Decision> decidedWithDryRuns = bake(with, withDryRuns::add);

        assertEquals(
                decided.stream().map(d -> d.action() + ": " + d.reason()).toList(),
                decidedWithDryRuns.stream()
                        .map(d -> d.action() + ": " + d.reason())
                        .toList());
        assertEquals("PROMOTE", decided.get(decided.size() - 1).action().name(), "the deciding checks pass the step");
        for (StepVerdict verdict : withDryRuns.subList(1, withDryRuns.size())) {
            CheckVerdict timeouts = check(verdict, "timeout-rate");
            assertTrue(timeouts.dryRun());
            assertEquals(Verdict.FAIL, timeouts.verdict(), "the dry run is judged every tick: " + timeouts.reason());
            assertEquals(Verdict.FAIL, check(verdict, "checkout-canary-anomaly").verdict());
            assertTrue(check(verdict, "checkout-canary-anomaly").dryRun());
            assertFalse(check(verdict, "error-rate").dryRun());
            assertFalse(verdict.reason().contains("timeout-rate"), verdict.reason());
        }
    }

    @Test
    void dryRunChecksAreWrittenMarkedAndShownApartAfterTheChecksThatDecide() {
        DeploymentSpec with = new SpecValidator().validate(spec(true));
        List<StepVerdict> verdicts = new ArrayList<>();
        bake(with, verdicts::add);

        String written = Json.write(verdicts.get(3));
        String shown = TickOutputs.describeVerdict(Json.tree(written), "  ");

        assertTrue(written.contains("\"dryRun\":true"), written);
        List<String> lines = List.of(shown.split("\n"));
        assertTrue(lines.get(lines.size() - 1).startsWith("  dry run FAIL checkout-canary-anomaly"), shown);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("  dry run FAIL timeout-rate")), shown);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("  PASS checkout-p99")), shown);
        assertFalse(
                Json.write(check(verdicts.get(3), "error-rate")).contains("dryRun"),
                "a deciding check is written as before");
        StepVerdict read = Json.read(written, StepVerdict.class);
        assertEquals(
                verdicts.get(3).checks().stream().map(CheckVerdict::dryRun).toList(),
                read.checks().stream().map(CheckVerdict::dryRun).toList(),
                "read back, each check is what it was");
    }

    private static CheckVerdict check(StepVerdict verdict, String name) {
        return verdict.checks().stream()
                .filter(check -> check.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + verdict.checks()));
    }
}
