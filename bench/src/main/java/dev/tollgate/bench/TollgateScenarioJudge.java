package dev.tollgate.bench;

import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.judge.Judge;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;

/** Tollgate's own judge, fed exactly as the decide function feeds it, and read as the decision policy reads it. */
public final class TollgateScenarioJudge implements ScenarioJudge {

    private final Judge judge;

    public TollgateScenarioJudge() {
        this(new SequentialJudge());
    }

    TollgateScenarioJudge(Judge judge) {
        this.judge = judge;
    }

    @Override
    public String name() {
        return "tollgate";
    }

    @Override
    public Verdict judge(Scenario scenario, int periodsSeen) {
        StepVerdict verdict = judge.judge(ScenarioEvidence.evidence(scenario, periodsSeen));
        // The decision policy acts on a PASS only once the minimum sample is reached.
        if (verdict.verdict() == Verdict.PASS && !verdict.minimumSampleReached()) {
            return Verdict.INCONCLUSIVE;
        }
        return verdict.verdict();
    }
}
