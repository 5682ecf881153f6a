package dev.tollgate.decision;

import dev.tollgate.judge.StepVerdict;
import dev.tollgate.spec.DeploymentSpec;
import java.time.Instant;

/** Reads the evidence of the step being baked and asks the judge: the verdict a tick's decision rests on. */
@FunctionalInterface
public interface StepAnalysis {

    /**
     * {@code tickStartedAt} is when the state machine started the tick: the evidence is read as of then
     * or later (TickSchedule#readAsOf), never as of a moment before the tick was due.
     */
    StepVerdict analyse(DeploymentSpec spec, StepProgress progress, Instant tickStartedAt);
}
