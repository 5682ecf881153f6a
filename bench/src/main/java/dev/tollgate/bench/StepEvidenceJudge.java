package dev.tollgate.bench;

import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.judge.Judge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;

/**
 * A judge of Tollgate's own interface (Tollgate's, or its first fixed-horizon one), fed exactly as
 * the decide function feeds it, and read as the decision policy reads it.
 */
public final class StepEvidenceJudge implements ScenarioJudge {

    private final String name;
    private final Judge judge;

    public StepEvidenceJudge(String name, Judge judge) {
        this.name = name;
        this.judge = judge;
    }

    @Override
    public String name() {
        return name;
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
