package dev.tollgate.bench.budget;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import dev.tollgate.ops.ExecutionEvent;
import dev.tollgate.ops.TickOutputs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How long a bad release kept its traffic, read from the execution's history: from the start of the
 * first whole metric period after traffic first shifted to the canary (the first period whose data
 * is all the canary's, and so shows the regression; the judge leaves the partial period of the shift
 * out) to the moment the rollback had put 100 % back on the old version (the RollBack task returns
 * only after it has read the weights back).
 */
public record RollbackTiming(
        Instant shiftedAt,
        Instant firstRegressedPeriodStart,
        Instant failingVerdictAt,
        Instant rolledBackAt,
        int periodSeconds,
        int ticksBeforeFailure) {

    /** Whole periods plus the fraction of one: {@code 1.4} means one period and 40 % of the next. */
    public double periodsToRollback() {
        return Duration.between(firstRegressedPeriodStart, rolledBackAt).toMillis() / (periodSeconds * 1000.0);
    }

    public double periodsToFailingVerdict() {
        return Duration.between(firstRegressedPeriodStart, failingVerdictAt).toMillis() / (periodSeconds * 1000.0);
    }

    public double secondsFromVerdictToRollback() {
        return Duration.between(failingVerdictAt, rolledBackAt).toMillis() / 1000.0;
    }

    /** Empty when the execution did not shift traffic, judge a FAIL and roll back, in that order. */
    public static Optional<RollbackTiming> of(List<ExecutionEvent> history, int periodSeconds) {
        Instant shifted = null;
        Instant failed = null;
        Instant rolledBack = null;
        int ticks = 0;
        for (ExecutionEvent event : history) {
            if (event.at() == null || !TickOutputs.worthReading(event)) {
                continue;
            }
            String verdict = verdict(event);
            if (!verdict.isEmpty()) {
                if (failed == null && shifted != null) {
                    ticks++;
                    if ("FAIL".equals(verdict)) {
                        failed = event.at();
                    }
                }
                continue;
            }
            if (!event.stateExited()) {
                continue;
            }
            switch (event.stateName()) {
                case "ShiftTraffic" -> shifted = shifted == null ? event.at() : shifted;
                case "RollBack" -> rolledBack = rolledBack == null ? event.at() : rolledBack;
                default -> {
                    // Other states do not move traffic or judge it.
                }
            }
        }
        if (shifted == null || failed == null || rolledBack == null) {
            return Optional.empty();
        }
        return Optional.of(new RollbackTiming(
                shifted, ceilToPeriod(shifted, periodSeconds), failed, rolledBack, periodSeconds, ticks));
    }

    /** The tick's verdict the event carries, or "" when it carries none. */
    private static String verdict(ExecutionEvent event) {
        try {
            JsonNode output = Json.tree(event.payload());
            return TickOutputs.verdict(event, output).path("verdict").asText("");
        } catch (RuntimeException notJson) {
            return "";
        }
    }

    static Instant ceilToPeriod(Instant instant, int periodSeconds) {
        long millis = instant.toEpochMilli();
        long period = periodSeconds * 1000L;
        long floor = millis - Math.floorMod(millis, period);
        return Instant.ofEpochMilli(floor == millis ? floor : floor + period);
    }
}
