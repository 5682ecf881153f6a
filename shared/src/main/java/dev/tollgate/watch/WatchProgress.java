package dev.tollgate.watch;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the post-promotion watch stands: when all traffic reached the new version ({@code promotedAt},
 * the watch's first state's entry time, the same for every tick and retry).
 */
public record WatchProgress(Instant promotedAt) {

    public WatchProgress {
        if (promotedAt == null) {
            throw new dev.tollgate.errors.BadRequestException("watch.promotedAt is required");
        }
    }

    public long watchedSeconds(Instant now) {
        return Math.max(0, Duration.between(promotedAt, now).getSeconds());
    }
}
