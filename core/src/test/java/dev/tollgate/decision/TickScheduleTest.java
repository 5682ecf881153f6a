package dev.tollgate.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TickScheduleTest {

    @Test
    void readsWholePeriodsOnly() {
        Instant shifted = Instant.parse("2026-11-24T10:00:17Z");

        assertEquals(
                Instant.parse("2026-11-24T10:01:00Z"),
                TickSchedule.ceilToPeriod(shifted, 60),
                "the period the shift happened in mixes old and new weights");
        assertEquals(
                Instant.parse("2026-11-24T10:00:00Z"),
                TickSchedule.ceilToPeriod(Instant.parse("2026-11-24T10:00:00Z"), 60));
        assertEquals(Instant.parse("2026-11-24T10:00:15Z"), TickSchedule.floorToPeriod(shifted, 5));
    }

    @Test
    void readsAPeriodOnceItHadAQuarterOfAPeriodAtMost15SecondsToBePublished() {
        Instant boundary = Instant.parse("2026-11-24T10:01:00Z");
        assertEquals(
                Instant.parse("2026-11-24T10:00:00Z"),
                TickSchedule.lastPublishedPeriodEnd(boundary.plusSeconds(14), 60),
                "10:00-10:01 ended 14 s ago: not yet");
        assertEquals(boundary, TickSchedule.lastPublishedPeriodEnd(boundary.plusSeconds(15), 60));
        assertEquals(
                Instant.parse("2026-11-24T10:00:55Z"),
                TickSchedule.lastPublishedPeriodEnd(boundary.plusMillis(1_249), 5));
        assertEquals(boundary, TickSchedule.lastPublishedPeriodEnd(boundary.plusMillis(1_250), 5));
        Instant fiveMinutes = Instant.parse("2026-11-24T10:05:00Z");
        assertEquals(
                fiveMinutes, TickSchedule.lastPublishedPeriodEnd(fiveMinutes.plusSeconds(15), 300), "at most 15 s");
    }

    @Test
    void theFirstTickComesAsSoonAsTheFirstWholePeriodAfterTheShiftIsPublished() {
        assertEquals(
                Instant.parse("2026-11-24T10:02:15Z"),
                TickSchedule.firstTickAt(Instant.parse("2026-11-24T10:00:17Z"), 60),
                "10:01-10:02 is the first whole period; published 15 s after its end");
        assertEquals(
                Instant.parse("2026-11-24T10:01:15Z"),
                TickSchedule.firstTickAt(Instant.parse("2026-11-24T10:00:00Z"), 60),
                "a shift on a boundary starts a whole period");
    }

    @Test
    void dueTimesAreWholeSecondsRoundedUpSinceAWaitDropsTheMilliseconds() {
        // 5 s periods: published 1.25 s after their end; a Wait until 10:00:11.250 would end at 10:00:11.
        assertEquals(
                Instant.parse("2026-11-24T10:00:12Z"),
                TickSchedule.firstTickAt(Instant.parse("2026-11-24T10:00:03.400Z"), 5));
        assertEquals(
                Instant.parse("2026-11-24T10:00:17Z"),
                TickSchedule.nextTickAt(Instant.parse("2026-11-24T10:00:12.080Z"), 5, 0));
    }

    @Test
    void theNextTickReadsThePeriodAfterTheLastOneReadAsSoonAsItIsPublished() {
        Instant tick = Instant.parse("2026-11-24T10:02:15.300Z");
        Instant next = TickSchedule.nextTickAt(tick, 60, 0);

        assertEquals(Instant.parse("2026-11-24T10:03:15Z"), next);
        assertEquals(
                Instant.parse("2026-11-24T10:03:00Z"),
                TickSchedule.lastPublishedPeriodEnd(next, 60),
                "the tick then reads 10:02-10:03, one period more than the tick before");
    }

    @Test
    void aLateTickIsFollowedByTheNextPublishedPeriodNotAFullPeriodAfterIt() {
        // Read 40 s late (a cold start): the next period is still published at 10:03:15.
        assertEquals(
                Instant.parse("2026-11-24T10:03:15Z"),
                TickSchedule.nextTickAt(Instant.parse("2026-11-24T10:02:55Z"), 60, 0));
    }

    @Test
    void aRetriedTickIsFollowedByTheFirstTickDueAWholePeriodAfterItSoItsBackoffIsNotGivenBack() {
        Instant retriedAt = Instant.parse("2026-11-24T10:02:30.500Z");

        assertEquals(
                Instant.parse("2026-11-24T10:04:15Z"),
                TickSchedule.nextTickAt(retriedAt, 60, 2),
                "the first tick due at least 60 s after 10:02:30.5, still when a period is published");
        assertEquals(Instant.parse("2026-11-24T10:03:15Z"), TickSchedule.nextTickAt(retriedAt, 60, 0));
    }

    @Test
    void aTickReadsAsOfTheTimeTheStateMachineStartedItWhenTheFunctionsClockIsBehind() {
        Instant started = Instant.parse("2026-11-24T10:02:15Z");

        assertEquals(started, TickSchedule.readAsOf(started.minusMillis(300), started));
        assertEquals(started.plusSeconds(2), TickSchedule.readAsOf(started.plusSeconds(2), started));
        assertEquals(started, TickSchedule.readAsOf(started, null));
    }

    @Test
    void everyNextTickIsLaterThanItsTickAndDueTimesAreAtLeastAPeriodApart() {
        Random random = new Random(20261204);
        for (int period : new int[] {1, 5, 10, 60, 300, 3600}) {
            Instant due = TickSchedule.firstTickAt(
                    Instant.parse("2026-11-24T10:00:00Z").plusMillis(random.nextInt(3_600_000)), period);
            Instant previousRead = Instant.MIN;
            for (int tick = 0; tick < 200; tick++) {
                // The tick runs at or after its due time (a Wait never ends early), sometimes late.
                Instant ranAt = due.plusMillis(random.nextInt(random.nextBoolean() ? 500 : period * 1000));
                Instant read = TickSchedule.lastPublishedPeriodEnd(ranAt, period);
                assertTrue(
                        read.isAfter(previousRead), period + " s: each tick reads a period more than the one before");
                previousRead = read;
                int retries = random.nextInt(10) == 0 ? 1 + random.nextInt(3) : 0;
                Instant next = TickSchedule.nextTickAt(ranAt, period, retries);
                assertTrue(next.isAfter(ranAt), period + " s: " + next + " after " + ranAt);
                assertFalse(
                        Duration.between(due, next).compareTo(Duration.ofSeconds(period)) < 0,
                        period + " s: due " + due + " then " + next);
                if (retries > 0) {
                    assertFalse(
                            Duration.between(ranAt, next).compareTo(Duration.ofSeconds(period)) < 0,
                            "a retried tick waits a period");
                } else {
                    assertTrue(
                            Duration.between(ranAt, next)
                                            .compareTo(
                                                    Duration.ofSeconds(period).plusSeconds(1))
                                    <= 0,
                            "never more than a period (and the second it is rounded to) after the tick");
                }
                due = next;
            }
        }
    }
}
