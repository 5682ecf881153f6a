package dev.tollgate.decision;

import java.time.Duration;
import java.time.Instant;

/**
 * When analysis ticks happen: each as soon as a metric period is complete and published (its end plus
 * {@link #publicationAllowance}), rather than a fixed wait after the tick before. A fixed
 * wait drifts against the periods and could let a regression sit up to a period longer than it needs to
 * before the tick that reads it (docs/judge.md, "When a step is judged").
 *
 * <p>Times are whole seconds, rounded up: Step Functions' Wait reads a timestamp to the second and
 * drops the milliseconds, so a tick due at {@code 10:00:01.250} would otherwise start at
 * {@code 10:00:01}, a quarter of a second before its period is published.
 */
public final class TickSchedule {

    private TickSchedule() {}

    /**
     * The first tick of a step started at {@code stepStartedAt}: when the first whole period after the
     * start (the period of the shift mixes both weights, and the judge leaves it out) is published.
     */
    public static Instant firstTickAt(Instant stepStartedAt, int periodSeconds) {
        return dueOnceThePeriodEnding(
                ceilToPeriod(stepStartedAt, periodSeconds).plusSeconds(periodSeconds), periodSeconds);
    }

    /**
     * The tick after one that read its evidence as of {@code analysedAt}: when the period after the last
     * one it read is published. Always after {@code analysedAt}, and due times are at least a period
     * apart, so a step never has more ticks than its bake has periods.
     *
     * <p>A tick that needed retries is followed by the first one due at least a whole period after its
     * own end: the history budget (RolloutBudget) counts a retried tick's backoff as time the next wait
     * does not give back, which is what keeps a spec that validates within its history events however
     * often its ticks fail.
     */
    public static Instant nextTickAt(Instant analysedAt, int periodSeconds, int retryCount) {
        Instant periodEnd = lastPublishedPeriodEnd(analysedAt, periodSeconds).plusSeconds(periodSeconds);
        Instant notBefore = retryCount > 0 ? analysedAt.plusSeconds(periodSeconds) : analysedAt;
        while (dueOnceThePeriodEnding(periodEnd, periodSeconds).isBefore(notBefore)) {
            periodEnd = periodEnd.plusSeconds(periodSeconds);
        }
        return dueOnceThePeriodEnding(periodEnd, periodSeconds);
    }

    /**
     * The instant a tick reads its evidence as of: its own clock, or the time the state machine started
     * it if that is later. The Wait ends at the due time on the state machine's clock; reading as of no
     * earlier than that, a tick always reads the period it waited for, even when the function's clock
     * runs a little behind, and its next tick is always a period later.
     */
    public static Instant readAsOf(Instant now, Instant tickStartedAt) {
        return tickStartedAt != null && tickStartedAt.isAfter(now) ? tickStartedAt : now;
    }

    /** When the period ending at {@code periodEnd} is published: its end plus the allowance, to the second. */
    private static Instant dueOnceThePeriodEnding(Instant periodEnd, int periodSeconds) {
        return wholeSecondAtOrAfter(periodEnd.plus(publicationAllowance(periodSeconds)));
    }

    /**
     * The end of the last period a tick at {@code now} reads: one that ended at least a quarter of a period
     * (at most 15 s) ago. A period read the instant it ends may still miss data on its way to CloudWatch;
     * read then and again later it would give two answers, and a replay of the tick another verdict than
     * the live one. The next tick reads it, so nothing is lost but part of a period's wait.
     */
    public static Instant lastPublishedPeriodEnd(Instant now, int periodSeconds) {
        return floorToPeriod(now.minus(publicationAllowance(periodSeconds)), periodSeconds);
    }

    /** How long after its end a period is taken as published: a quarter of the period, at most 15 s. */
    public static Duration publicationAllowance(int periodSeconds) {
        return Duration.ofMillis(Math.min(periodSeconds * 250L, 15_000L));
    }

    public static Instant floorToPeriod(Instant instant, int periodSeconds) {
        long seconds = instant.getEpochSecond();
        return Instant.ofEpochSecond(seconds - Math.floorMod(seconds, periodSeconds));
    }

    public static Instant ceilToPeriod(Instant instant, int periodSeconds) {
        Instant floor = floorToPeriod(instant, periodSeconds);
        return floor.equals(instant) ? floor : floor.plusSeconds(periodSeconds);
    }

    static Instant wholeSecondAtOrAfter(Instant instant) {
        Instant floor = Instant.ofEpochSecond(instant.getEpochSecond());
        return floor.equals(instant) ? floor : floor.plus(Duration.ofSeconds(1));
    }
}
