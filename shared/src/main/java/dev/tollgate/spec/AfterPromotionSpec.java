package dev.tollgate.spec;

/**
 * What happens after the promotion. {@code rollbackWindowSeconds}: how long the old version is kept
 * able to serve (ECS: its service kept at its task count; Lambda: the previous version, which stays
 * published anyway) while {@code tollgate rollback SERVICE} can send all traffic back to it at once.
 * The execution holds the service's lock through the window, so the next release waits for it.
 */
public record AfterPromotionSpec(int rollbackWindowSeconds) {

    /** The longest window: a day, like an approval gate, since the service's lock is held throughout. */
    public static final int MAX_ROLLBACK_WINDOW_SECONDS = 86_400;
}
