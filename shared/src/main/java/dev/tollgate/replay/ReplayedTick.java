package dev.tollgate.replay;

import dev.tollgate.decision.Decision;
import dev.tollgate.judge.StepVerdict;
import java.util.List;

/**
 * A tick judged again: today's verdict and decision, and, for a recorded tick, every way they differ
 * from what was decided then (empty when today's judge agrees) and every way the data read today differ
 * from what the tick read then ({@code dataChanges}: data that reached CloudWatch after the tick read it).
 * A tick that decides differently on other data is not a disagreement of the judges: it was given other
 * evidence.
 */
public record ReplayedTick(
        ReplayTick tick, StepVerdict verdict, Decision decision, List<String> differences, List<String> dataChanges) {

    public ReplayedTick {
        differences = List.copyOf(differences);
        dataChanges = List.copyOf(dataChanges);
    }

    public boolean agrees() {
        return differences.isEmpty();
    }

    /** Decided differently on the same data: today's judge would not reach the recorded decision. */
    public boolean disagrees() {
        return !differences.isEmpty() && dataChanges.isEmpty();
    }

    /** Decided differently, but on data that changed since the tick read it: not comparable. */
    public boolean readOtherData() {
        return !differences.isEmpty() && !dataChanges.isEmpty();
    }
}
