package dev.tollgate.replay;

import dev.tollgate.decision.StepProgress;
import java.time.Instant;
import java.util.Optional;

/**
 * One analysis tick to replay: the step as it stood ({@code progress}), when the tick read its
 * evidence ({@code at}, the verdict's {@code analysedAt}), and what the live tick decided, when the
 * tick was taken by a real deployment.
 */
public record ReplayTick(StepProgress progress, Instant at, Optional<RecordedTick> recorded) {}
