package dev.tollgate.bench.reference;

import dev.tollgate.bench.ScenarioJudge;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.judge.Verdict;

/**
 * The static threshold rule many pipelines start with: since the step began, canary error rate at
 * most baseline x 1.1 and canary p95 at most baseline x 1.2, judged once the canary has 100
 * requests; under 100 requests the canary counts as healthy. That last clause is the bug DESIGN
 * section 5 warns about, kept here because it is the rule as published.
 */
public final class ThresholdJudge implements ScenarioJudge {

    static final double ERROR_RATE_FACTOR = 1.1;
    static final double P95_FACTOR = 1.2;
    static final double MIN_REQUESTS = 100;

    @Override
    public String name() {
        return "threshold";
    }

    @Override
    public Verdict judge(Scenario scenario, int periodsSeen) {
        SideTotals canary = SideTotals.of(scenario, periodsSeen, Scenario.Period::canary);
        SideTotals baseline = SideTotals.of(scenario, periodsSeen, Scenario.Period::baseline);
        if (canary.requests() < MIN_REQUESTS) {
            return Verdict.PASS;
        }
        if (canary.errorRate() > baseline.errorRate() * ERROR_RATE_FACTOR) {
            return Verdict.FAIL;
        }
        if (canary.p95() > baseline.p95() * P95_FACTOR) {
            return Verdict.FAIL;
        }
        return Verdict.PASS;
    }
}
