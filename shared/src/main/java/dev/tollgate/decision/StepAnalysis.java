package dev.tollgate.decision;

import dev.tollgate.judge.StepVerdict;
import dev.tollgate.spec.DeploymentSpec;

/** Reads the evidence of the step being baked and asks the judge: the verdict a tick's decision rests on. */
@FunctionalInterface
public interface StepAnalysis {

    StepVerdict analyse(DeploymentSpec spec, StepProgress progress);
}
