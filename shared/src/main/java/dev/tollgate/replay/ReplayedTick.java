package dev.tollgate.replay;

import dev.tollgate.decision.Decision;
import dev.tollgate.judge.StepVerdict;
import java.util.List;

/**
 * A tick judged again: today's verdict and decision, and, for a recorded tick, every way they differ
 * from what was decided then (empty when today's judge agrees).
 */
public record ReplayedTick(ReplayTick tick, StepVerdict verdict, Decision decision, List<String> differences) {

    public ReplayedTick {
        differences = List.copyOf(differences);
    }

    public boolean agrees() {
        return differences.isEmpty();
    }
}
