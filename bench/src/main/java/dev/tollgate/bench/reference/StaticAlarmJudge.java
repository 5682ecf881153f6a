package dev.tollgate.bench.reference;

import dev.tollgate.bench.ScenarioJudge;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Side;
import dev.tollgate.judge.Verdict;

/**
 * A CloudWatch-style static alarm on the canary: a period breaches when the canary's error rate
 * is above the baseline's by more than the tolerance, and three breaching periods in a row (3 of
 * 3) is ALARM, hence FAIL. A period where either side has no requests does not breach.
 */
public final class StaticAlarmJudge implements ScenarioJudge {

    static final int PERIODS_TO_ALARM = 3;

    @Override
    public String name() {
        return "static-alarm";
    }

    @Override
    public Verdict judge(Scenario scenario, int periodsSeen) {
        int run = 0;
        for (int k = 0; k < periodsSeen; k++) {
            run = breaches(scenario, scenario.periods().get(k)) ? run + 1 : 0;
            if (run >= PERIODS_TO_ALARM) {
                return Verdict.FAIL;
            }
        }
        return Verdict.PASS;
    }

    private static boolean breaches(Scenario scenario, Scenario.Period period) {
        Side canary = period.canary();
        Side baseline = period.baseline();
        if (!counted(canary) || !counted(baseline)) {
            return false;
        }
        double canaryRate = canary.errors() / canary.requests();
        double baselineRate = baseline.errors() / baseline.requests();
        return canaryRate > baselineRate * (1 + scenario.tolerance().errorRate());
    }

    private static boolean counted(Side side) {
        return side != null && side.requests() != null && side.errors() != null && side.requests() > 0;
    }
}
