package dev.tollgate.watch;

import dev.tollgate.json.Nullable;
import dev.tollgate.judge.StepVerdict;
import java.time.Instant;

/**
 * The outcome of one tick of the post-promotion watch: what to do, why, who decided ({@code judge} or the
 * operator who asked), how long the new version has been watched, the verdict with every check's numbers
 * (kept in the execution's history as the function's answer; the state keeps the action and reason), and when
 * the next tick is due should the watch go on ({@code nextTickAt}: once the next period is published, as a
 * step's ticks, TickSchedule).
 */
public record WatchTick(
        WatchAction action,
        String reason,
        String decidedBy,
        long watchedSeconds,
        @Nullable StepVerdict verdict,
        @Nullable Instant nextTickAt) {

    /** A decision before its next tick is scheduled. */
    public WatchTick(
            WatchAction action, String reason, String decidedBy, long watchedSeconds, @Nullable StepVerdict verdict) {
        this(action, reason, decidedBy, watchedSeconds, verdict, null);
    }
}
