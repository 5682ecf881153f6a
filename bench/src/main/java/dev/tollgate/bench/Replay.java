package dev.tollgate.bench;

import dev.tollgate.bench.Outcome.Decision;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.judge.Verdict;

/**
 * Feeds a judge the first k periods for k = 1, 2, ... and stops at its first decision: a FAIL at
 * any period rolls back, a PASS at or after the bake promotes, anything else bakes on until the
 * budget runs out.
 */
public final class Replay {

    private Replay() {}

    public static Outcome run(ScenarioJudge judge, Scenario scenario) {
        for (int seen = 1; seen <= scenario.replayPeriods(); seen++) {
            Verdict verdict = judge.judge(scenario, seen);
            if (verdict == Verdict.FAIL) {
                return new Outcome(scenario.name(), judge.name(), Decision.ROLLBACK, seen);
            }
            if (verdict == Verdict.PASS && seen >= scenario.bakePeriods()) {
                return new Outcome(scenario.name(), judge.name(), Decision.PROMOTE, seen);
            }
        }
        return new Outcome(scenario.name(), judge.name(), Decision.UNDECIDED, null);
    }
}
