package dev.tollgate.replay;

import dev.tollgate.spec.DeploymentSpec;
import java.time.Instant;
import java.util.List;

/**
 * A whole replay: what was replayed ({@code subject}: a deployment id, or a spec over a window),
 * every tick judged again, the outcome today's judge reaches ({@code outcome}: PROMOTE, ROLLBACK,
 * AWAIT_APPROVAL, or UNDECIDED when the window ended first; NO_DATA when the canary had not a single data
 * point in any metric, which is never a PASS), and whether it was compared with a recorded deployment.
 */
public record Replay(
        String subject,
        DeploymentSpec spec,
        Instant from,
        Instant to,
        List<ReplayedTick> ticks,
        String outcome,
        boolean recorded) {

    public static final String NO_DATA = "NO_DATA";
    public static final String UNDECIDED = "UNDECIDED";

    public Replay {
        ticks = List.copyOf(ticks);
    }

    /** Recorded ticks today's judge decides differently on the data they read. */
    public long disagreements() {
        return ticks.stream().filter(ReplayedTick::disagrees).count();
    }

    /** Recorded ticks decided differently on data that reached CloudWatch after they read it: not comparable. */
    public long readOtherData() {
        return ticks.stream().filter(ReplayedTick::readOtherData).count();
    }
}
