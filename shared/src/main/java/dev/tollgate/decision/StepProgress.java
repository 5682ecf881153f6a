package dev.tollgate.decision;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the rollout stands: the step being baked, the canary's weight and when the step began.
 * {@code waitSeconds} is the pause before the next analysis tick (one metric period).
 */
public record StepProgress(int stepIndex, int canaryWeight, Instant stepStartedAt, int waitSeconds) {

    public long elapsedSeconds(Instant now) {
        return Math.max(0, Duration.between(stepStartedAt, now).getSeconds());
    }
}
