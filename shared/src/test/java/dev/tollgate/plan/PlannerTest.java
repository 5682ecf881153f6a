package dev.tollgate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.errors.InvalidWindowException;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.json.Json;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.plan.Plan.Outcomes;
import dev.tollgate.plan.Plan.StepPlan;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final Instant FROM = Instant.parse("2026-11-24T00:00:00Z");
    private static final Map<String, String> LIVE = Map.of("Version", "v41");

    private static DeploymentSpec spec(long minRequests) {
        return new SpecValidator().validate(Json.tree("""
                {
                  "deploymentId": "checkout-v42", "service": "checkout",
                  "target": { "type": "LAMBDA_ALIAS", "functionName": "checkout-api", "alias": "live", "version": "42" },
                  "steps": [ { "weight": 5, "bakeSeconds": 300, "maxBakeSeconds": 900, "minRequests": %d },
                             { "weight": 25, "bakeSeconds": 1200, "minRequests": 500 }, { "weight": 100 } ],
                  "analysis": {
                    "canaryDimensions": { "Version": "v42" }, "baselineDimensions": { "Version": "v41" },
                    "metrics": [ { "name": "error-rate", "kind": "RATIO", "tolerance": 0.5, "critical": true,
                                   "numerator": { "namespace": "App", "metric": "Errors" },
                                   "denominator": { "namespace": "App", "metric": "Requests" } },
                                 { "name": "p99-latency", "kind": "STATISTIC", "namespace": "App", "metric": "Latency", "stat": "p99",
                                   "tolerance": 0.2, "critical": true } ],
                    "alarms": ["checkout-p99"]
                  }
                }
                """.formatted(minRequests)));
    }

    /** The live version's traffic a minute: 40,000 requests at 2 % errors, a p99 of 200 ms with 1 % noise. */
    private static TrafficProfile traffic(int minutes) {
        FakeMetricSource metrics = new FakeMetricSource();
        Random random = new Random(3);
        for (int minute = 0; minute < minutes; minute++) {
            Instant at = FROM.plusSeconds(60L * minute + 1);
            double requests = 40_000 + 4_000 * random.nextGaussian();
            metrics.put("App", "Requests", LIVE, at, Math.round(requests))
                    .put("App", "Errors", LIVE, at, Math.round(requests * 0.02));
            metrics.put("App", "Latency", LIVE, at, 200 * Math.exp(0.01 * random.nextGaussian()));
        }
        return TrafficProfile.read(metrics, spec(500), FROM, FROM.plusSeconds(60L * minutes));
    }

    private static Outcomes outcome(StepPlan step, String release) {
        return step.outcomes().stream()
                .filter(outcome -> outcome.regression().name().equals(release))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void passesHealthyReleasesAndCatchesRegressionsOnTheServicesOwnTraffic() {
        Plan plan = new Planner(new SequentialJudge()).plan(spec(500), traffic(120), 60, 1);
        StepPlan first = plan.steps().get(0);

        assertEquals(2, plan.steps().size());
        assertEquals(2_000, first.canaryRequestsPerPeriod(), 200, "5 % of about 40,000 requests a period");
        assertTrue(first.minRequestsReachable());
        assertTrue(
                outcome(first, "healthy").passShare() > 0.9,
                outcome(first, "healthy").toString());
        assertTrue(
                outcome(first, "errors x2").failShare() > 0.9,
                outcome(first, "errors x2").toString());
        // One latency value a period (SampleCount 1) at 5 % leaves the judge less sure of a p99 than of the errors.
        assertTrue(
                outcome(first, "latency x1.3").failShare() > 0.5,
                outcome(first, "latency x1.3").toString());
        assertEquals(
                1.0,
                outcome(first, "errors x1.5").passShare(),
                0.05,
                "x1.5 is within the tolerance of 0.5: not a regression");
        assertTrue(
                outcome(first, "errors x2").meanPeriodsToFail()
                                < outcome(first, "errors x1.5").meanPeriodsToFail()
                        || outcome(first, "errors x1.5").failShare()
                                < outcome(first, "errors x2").failShare(),
                "a bigger regression is caught sooner");
        assertTrue(
                plan.notes().stream().anyMatch(note -> note.startsWith("step 2 (25 %): bakes 1200 s")),
                plan.notes().toString());
        assertTrue(plan.notes().stream().anyMatch(note -> note.contains("alarms [checkout-p99] are left out")));
        assertTrue(PlanOutput.lines(plan, OptionalInt.of(5)).stream()
                .anyMatch(line -> line.startsWith("suggested schedule: 5 % for")));
    }

    /**
     * The plan's figure is the judge's own behaviour: another seed's plan, each the mean of many simulated steps,
     * lands within the spread the plan reports for it.
     */
    @Test
    void figuresLieWithinTheSpreadOfRunningTheJudgeOnTheSameTrafficManyTimes() {
        TrafficProfile traffic = traffic(120);
        Planner planner = new Planner(new SequentialJudge());
        Outcomes planned =
                outcome(planner.plan(spec(500), traffic, 100, 1).steps().get(0), "errors x1.5");
        double[] others = IntStream.rangeClosed(2, 4)
                .mapToDouble(seed -> outcome(
                                planner.plan(spec(500), traffic, 100, seed)
                                        .steps()
                                        .get(0),
                                "errors x1.5")
                        .meanPeriodsToDecision())
                .toArray();
        double mean = java.util.Arrays.stream(others).average().orElseThrow();

        assertTrue(
                Math.abs(planned.meanPeriodsToDecision() - mean) <= 4 * planned.standardError() + 1e-9,
                planned.meanPeriodsToDecision() + " vs " + mean + " +- " + planned.standardError());
    }

    @Test
    void saysWhenMinRequestsCannotBeReachedInTime() {
        Plan plan = new Planner(new SequentialJudge()).plan(spec(1_000_000), traffic(60), 20, 1);

        assertFalse(plan.steps().get(0).minRequestsReachable());
        assertTrue(
                plan.notes().stream()
                        .anyMatch(note -> note.startsWith("step 1 (5 %): minRequests 1000000 needs about")),
                plan.notes().toString());
        assertEquals(
                1.0, outcome(plan.steps().get(0), "healthy").undecidedShare(), "too little traffic is never a PASS");
    }

    @Test
    void refusesToPlanFromTooLittleHistory() {
        InvalidWindowException refused = assertThrows(
                InvalidWindowException.class,
                () -> new Planner(new SequentialJudge()).plan(spec(500), traffic(3), 10, 1));

        assertTrue(refused.getMessage().contains("3 periods of data"), refused.getMessage());
        assertEquals(List.of(), traffic(0).periods());
    }
}
