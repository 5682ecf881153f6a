package dev.tollgate.bench;

import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.judge.Verdict;

/**
 * A judge as the benchmark drives it: asked again after every period with everything since the
 * step began. PASS here means "may promote once the bake is over".
 */
public interface ScenarioJudge {

    String name();

    Verdict judge(Scenario scenario, int periodsSeen);
}
