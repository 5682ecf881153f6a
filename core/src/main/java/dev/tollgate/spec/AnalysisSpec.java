package dev.tollgate.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How each step is judged: the metrics compared, the SLO, the alarms watched and the error rates accepted.
 * {@code alarms} names every alarm watched; those also in {@code dryRunAlarms} are judged and shown but
 * never fail, pass or hold a step (docs/replay-and-plan.md#dry-run-checks).
 */
public record AnalysisSpec(
        int periodSeconds,
        List<MetricSpec> metrics,
        SloSpec slo,
        @JsonIgnore List<String> alarms,
        double falsePositiveRate,
        InconclusivePolicy onInconclusive,
        @JsonIgnore List<String> dryRunAlarms) {

    public AnalysisSpec {
        metrics = List.copyOf(metrics);
        alarms = alarms == null ? List.of() : List.copyOf(alarms);
        dryRunAlarms = dryRunAlarms == null ? List.of() : List.copyOf(dryRunAlarms);
    }

    /** An analysis without dry-run alarms. */
    public AnalysisSpec(
            int periodSeconds,
            List<MetricSpec> metrics,
            SloSpec slo,
            List<String> alarms,
            double falsePositiveRate,
            InconclusivePolicy onInconclusive) {
        this(periodSeconds, metrics, slo, alarms, falsePositiveRate, onInconclusive, List.of());
    }

    /**
     * The alarms as the normalised spec writes them: a name for an alarm that decides, an object
     * {@code {"name": ..., "dryRun": true}} for a dry-run one (the two forms the validator reads).
     */
    @JsonProperty("alarms")
    List<Object> writtenAlarms() {
        List<Object> written = new ArrayList<>();
        for (String alarm : alarms) {
            if (dryRunAlarms.contains(alarm)) {
                Map<String, Object> dryRun = new LinkedHashMap<>();
                dryRun.put("name", alarm);
                dryRun.put("dryRun", true);
                written.add(dryRun);
            } else {
                written.add(alarm);
            }
        }
        return written;
    }

    /**
     * The metric the SLO is measured on ({@link SloSpec#metric()}): the one place both the error-budget
     * check and the judge's burn rate read it from. Empty without an SLO.
     */
    public Optional<MetricSpec> sloMetric() {
        if (slo == null) {
            return Optional.empty();
        }
        return metrics.stream()
                .filter(metric -> metric.name().equals(slo.metric()))
                .findFirst();
    }

    /** What happens when a step's bake budget ends and the judge is still undecided. */
    public enum InconclusivePolicy {
        PAUSE,
        ROLLBACK
    }
}
