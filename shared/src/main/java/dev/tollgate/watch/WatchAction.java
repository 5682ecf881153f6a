package dev.tollgate.watch;

/** What the state machine does after a tick of the post-promotion watch; the {@code IsWatchOver} Choice state branches on it. */
public enum WatchAction {
    CONTINUE_WATCHING,
    WATCH_PASSED,
    ROLLBACK
}
