package dev.tollgate.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.judge.AlarmState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a live tick left in its execution's history: the verdict, each check's verdict by name, how much
 * data each check read ({@code checkSamples}: its periods and requests, see {@link #SAMPLE_NUMBERS}), the
 * decision and the step it led to, and the alarm states the tick saw (read back from its alarm checks:
 * CloudWatch keeps no per-period alarm state that a replay could read again).
 */
public record RecordedTick(
        String verdict,
        Map<String, String> checkVerdicts,
        Map<String, Map<String, Double>> checkSamples,
        String action,
        int nextStepIndex,
        Map<String, AlarmState> alarmStates) {

    /**
     * A check's numbers that count the data it read. CloudWatch may still receive a period's data after a
     * tick read it (a late PutMetricData, a delayed log group): a replay that counts other amounts was given
     * other evidence, and its answer says nothing about the judge.
     */
    public static final List<String> SAMPLE_NUMBERS =
            List.of("pairedPeriods", "skippedPeriods", "canaryRequests", "baselineRequests", "periods");

    public RecordedTick {
        checkVerdicts = Map.copyOf(checkVerdicts);
        Map<String, Map<String, Double>> samples = new LinkedHashMap<>();
        checkSamples.forEach((name, numbers) -> samples.put(name, Map.copyOf(numbers)));
        checkSamples = Map.copyOf(samples);
        alarmStates = Map.copyOf(alarmStates);
    }

    /** The tick as its verdict (the Decide function's answer, as JSON) and its decision record it. */
    public static RecordedTick of(JsonNode verdict, String action, int nextStepIndex) {
        Map<String, String> checks = new LinkedHashMap<>();
        Map<String, Map<String, Double>> samples = new LinkedHashMap<>();
        for (JsonNode check : verdict.path("checks")) {
            String name = check.path("name").asText();
            checks.put(name, check.path("verdict").asText());
            Map<String, Double> counted = new LinkedHashMap<>();
            SAMPLE_NUMBERS.stream()
                    .filter(number -> check.path("numbers").path(number).isNumber())
                    .forEach(number -> counted.put(
                            number, check.path("numbers").path(number).asDouble()));
            samples.put(name, counted);
        }
        return new RecordedTick(
                verdict.path("verdict").asText(),
                checks,
                samples,
                action,
                nextStepIndex,
                ReplayService.alarmStates(verdict));
    }
}
