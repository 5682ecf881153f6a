package dev.tollgate.watch;

import dev.tollgate.json.Nullable;
import dev.tollgate.judge.StepVerdict;

/**
 * The outcome of one tick of the post-promotion watch: what to do, why, who decided ({@code judge} or the
 * operator who asked), how long the new version has been watched, and the verdict with every check's
 * numbers (kept in the execution's history as the function's answer; the state keeps the action and reason).
 */
public record WatchTick(WatchAction action, String reason, String decidedBy, long watchedSeconds, @Nullable StepVerdict verdict) {
}
