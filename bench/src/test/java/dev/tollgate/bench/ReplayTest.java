package dev.tollgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.bench.Outcome.Decision;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Period;
import dev.tollgate.bench.scenario.Scenario.Side;
import dev.tollgate.bench.scenario.Scenario.Tolerance;
import dev.tollgate.bench.scenario.Scenario.Truth;
import dev.tollgate.judge.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class ReplayTest {

    private static Scenario scenario(int periods, int bakePeriods, int maxPeriods) {
        List<Period> list = new ArrayList<>();
        for (int i = 0; i < periods; i++) {
            list.add(new Period(new Side(9000.0, 9.0, 120.0, 150.0), new Side(1000.0, 1.0, 120.0, 150.0)));
        }
        return new Scenario(
                "s",
                Truth.NO_REGRESSION,
                60,
                0.1,
                bakePeriods,
                maxPeriods,
                500,
                0.01,
                new Tolerance(0.1, 0.2, 0.2),
                list);
    }

    private static ScenarioJudge judge(IntFunction<Verdict> verdictAfter) {
        return new ScenarioJudge() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public Verdict judge(Scenario scenario, int periodsSeen) {
                return verdictAfter.apply(periodsSeen);
            }
        };
    }

    @Test
    void promotesAtTheEndOfTheBakeNotAtTheFirstPass() {
        Outcome outcome = Replay.run(judge(seen -> Verdict.PASS), scenario(30, 10, 30));

        assertEquals(new Outcome("s", "fixed", Decision.PROMOTE, 10), outcome);
    }

    @Test
    void rollsBackAtTheFirstFailEvenBeforeTheBakeEnds() {
        Outcome outcome = Replay.run(judge(seen -> seen == 3 ? Verdict.FAIL : Verdict.PASS), scenario(30, 10, 30));

        assertEquals(new Outcome("s", "fixed", Decision.ROLLBACK, 3), outcome);
    }

    @Test
    void isUndecidedWhenTheBudgetRunsOutWithoutAVerdict() {
        Outcome outcome = Replay.run(judge(seen -> Verdict.INCONCLUSIVE), scenario(30, 10, 30));

        assertEquals(new Outcome("s", "fixed", Decision.UNDECIDED, null), outcome);
    }

    @Test
    void feedsNoMorePeriodsThanTheBudget() {
        Outcome outcome =
                Replay.run(judge(seen -> seen > 20 ? Verdict.FAIL : Verdict.INCONCLUSIVE), scenario(40, 10, 20));

        assertEquals(Decision.UNDECIDED, outcome.decision());
    }
}
