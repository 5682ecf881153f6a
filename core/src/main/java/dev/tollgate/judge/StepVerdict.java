package dev.tollgate.judge;

import java.time.Instant;
import java.util.List;

/**
 * The judge's answer for one analysis tick of a step: overall verdict, one line saying why, every
 * check behind it, and whether the step's minimum sample has been reached.
 */
public record StepVerdict(
        Verdict verdict, String reason, List<CheckVerdict> checks, boolean minimumSampleReached, Instant analysedAt) {

    public StepVerdict {
        checks = List.copyOf(checks);
    }
}
