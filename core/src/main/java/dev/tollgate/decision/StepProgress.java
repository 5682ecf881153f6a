package dev.tollgate.decision;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the rollout stands: the step being baked, the canary's weight and when the step began.
 * {@code firstTickAt} is when the step's first analysis tick is due: once the first whole metric period
 * after the start is published (TickSchedule); later ticks are due when their decision says.
 */
public record StepProgress(int stepIndex, int canaryWeight, Instant stepStartedAt, Instant firstTickAt) {

    /** A step started at {@code stepStartedAt}, its first tick due as TickSchedule has it. */
    public static StepProgress started(int stepIndex, int canaryWeight, Instant stepStartedAt, int periodSeconds) {
        return new StepProgress(
                stepIndex, canaryWeight, stepStartedAt, TickSchedule.firstTickAt(stepStartedAt, periodSeconds));
    }

    /** Refuses a step index the spec does not have a bake for (the last step is the promotion). */
    public StepProgress requireStepOf(dev.tollgate.spec.DeploymentSpec spec) {
        if (stepIndex < 0 || stepIndex >= spec.promotionStepIndex()) {
            throw new dev.tollgate.errors.BadRequestException("progress.stepIndex " + stepIndex
                    + " is not a step to bake; steps 0 to " + (spec.promotionStepIndex() - 1) + " are");
        }
        return this;
    }

    public long elapsedSeconds(Instant now) {
        return Math.max(0, Duration.between(stepStartedAt, now).getSeconds());
    }
}
