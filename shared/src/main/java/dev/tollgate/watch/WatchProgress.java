package dev.tollgate.watch;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the post-promotion watch stands: when all traffic reached the new version ({@code promotedAt},
 * the watch's first state's entry time) and when the rollout began ({@code rolloutStartedAt}, the
 * execution's start): the old version's history the watch compares with ends there, since from then on
 * it shared its traffic with the new one.
 */
public record WatchProgress(Instant promotedAt, Instant rolloutStartedAt) {

    public WatchProgress {
        if (promotedAt == null || rolloutStartedAt == null) {
            throw new dev.tollgate.errors.BadRequestException("watch.promotedAt and watch.rolloutStartedAt are required");
        }
        if (rolloutStartedAt.isAfter(promotedAt)) {
            throw new dev.tollgate.errors.BadRequestException("watch.rolloutStartedAt " + rolloutStartedAt
                    + " is after watch.promotedAt " + promotedAt + ": the rollout begins before its promotion");
        }
    }

    public long watchedSeconds(Instant now) {
        return Math.max(0, Duration.between(promotedAt, now).getSeconds());
    }
}
