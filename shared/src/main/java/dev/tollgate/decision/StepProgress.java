package dev.tollgate.decision;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the rollout stands: the step being baked, the canary's weight and when the step began.
 * {@code waitSeconds} is the pause before the next analysis tick (one metric period).
 */
public record StepProgress(int stepIndex, int canaryWeight, Instant stepStartedAt, int waitSeconds) {

    /** Refuses a step index the spec does not have a bake for (the last step is the promotion). */
    public StepProgress requireStepOf(dev.tollgate.spec.DeploymentSpec spec) {
        if (stepIndex < 0 || stepIndex >= spec.promotionStepIndex()) {
            throw new dev.tollgate.errors.BadRequestException("progress.stepIndex " + stepIndex + " is not a step to bake; steps 0 to "
                    + (spec.promotionStepIndex() - 1) + " are");
        }
        return this;
    }

    public long elapsedSeconds(Instant now) {
        return Math.max(0, Duration.between(stepStartedAt, now).getSeconds());
    }
}
