package dev.tollgate.spec;

import java.util.List;
import java.util.Optional;

/** How each step is judged: the metrics compared, the SLO, the alarms watched and the error rates accepted. */
public record AnalysisSpec(
        int periodSeconds,
        List<MetricSpec> metrics,
        SloSpec slo,
        List<String> alarms,
        double falsePositiveRate,
        InconclusivePolicy onInconclusive) {

    public AnalysisSpec {
        metrics = List.copyOf(metrics);
        alarms = alarms == null ? List.of() : List.copyOf(alarms);
    }

    /**
     * The metric the SLO is measured on ({@link SloSpec#metric()}): the one place both the error-budget
     * check and the judge's burn rate read it from. Empty without an SLO.
     */
    public Optional<MetricSpec> sloMetric() {
        if (slo == null) {
            return Optional.empty();
        }
        return metrics.stream().filter(metric -> metric.name().equals(slo.metric())).findFirst();
    }

    /** What happens when a step's bake budget ends and the judge is still undecided. */
    public enum InconclusivePolicy { PAUSE, ROLLBACK }
}
