package dev.tollgate.judge;

import java.util.Map;

/**
 * The verdict on one check of a step (a metric, the SLO burn rate, an alarm), with the numbers
 * behind it so an operator can see why: rates, bounds, evidence, sample sizes, tolerance.
 */
public record CheckVerdict(String name, CheckKind kind, Verdict verdict, String reason, Map<String, Double> numbers) {

    public CheckVerdict {
        numbers = numbers == null ? Map.of() : Map.copyOf(numbers);
    }

    public enum CheckKind { METRIC, SLO, ALARM }
}
