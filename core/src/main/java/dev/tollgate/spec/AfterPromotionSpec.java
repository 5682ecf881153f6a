package dev.tollgate.spec;

/**
 * What happens after the promotion. {@code watchSeconds}: how long the new version, now at 100 %, is
 * still judged against the old version's own history from before the rollout, a FAIL sending all traffic
 * back to the old version, which is still warm. {@code rollbackWindowSeconds}: how long after the watch the
 * old version is kept able to serve (ECS: its service kept at its task count; Lambda: the previous version,
 * which stays published anyway) while {@code tollgate rollback SERVICE} can send all traffic back to it at once.
 * The execution holds the service's lock through both, so the next release waits for them.
 */
public record AfterPromotionSpec(int rollbackWindowSeconds, int watchSeconds) {

    /** The longest window: a day, like an approval gate, since the service's lock is held throughout. */
    public static final int MAX_ROLLBACK_WINDOW_SECONDS = 86_400;
    /** The longest watch: a day, for the same reason; the watch and the window together are held to it too. */
    public static final int MAX_WATCH_SECONDS = 86_400;
    /** The shortest watch, in analysis periods: one full period to judge and one to confirm a non-critical metric. */
    public static final int MIN_WATCH_PERIODS = 2;

    /** A rollback window and no watch. */
    public AfterPromotionSpec(int rollbackWindowSeconds) {
        this(rollbackWindowSeconds, 0);
    }
}
