package dev.tollgate.judge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The verdict on one check of a step (a metric, the SLO burn rate, an alarm), with the numbers
 * behind it so an operator can see why: rates, bounds, evidence, sample sizes, tolerance.
 * A {@code dryRun} check is judged and shown like any other but takes no part in the step's verdict
 * (written out only when true, so verdicts without dry runs read as they always did).
 */
public record CheckVerdict(
        String name,
        CheckKind kind,
        Verdict verdict,
        String reason,
        Map<String, Double> numbers,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean dryRun) {

    public CheckVerdict {
        numbers = numbers == null ? Map.of() : Map.copyOf(numbers);
    }

    /** A check that takes part in the step's verdict. */
    public CheckVerdict(String name, CheckKind kind, Verdict verdict, String reason, Map<String, Double> numbers) {
        this(name, kind, verdict, reason, numbers, false);
    }

    /** Read from JSON: a check written without {@code dryRun} (every deciding one, and every verdict before dry runs) decides. */
    @JsonCreator
    static CheckVerdict read(
            @JsonProperty("name") String name,
            @JsonProperty("kind") CheckKind kind,
            @JsonProperty("verdict") Verdict verdict,
            @JsonProperty("reason") String reason,
            @JsonProperty("numbers") Map<String, Double> numbers,
            @JsonProperty("dryRun") Boolean dryRun) {
        return new CheckVerdict(name, kind, verdict, reason, numbers, Boolean.TRUE.equals(dryRun));
    }

    /** The same check, shown as a dry run. */
    public CheckVerdict asDryRun() {
        return new CheckVerdict(name, kind, verdict, reason, numbers, true);
    }

    public enum CheckKind {
        METRIC,
        SLO,
        ALARM
    }
}
