package dev.tollgate.spec;

import java.util.List;

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

    /** What happens when a step's bake budget ends and the judge is still undecided. */
    public enum InconclusivePolicy { PAUSE, ROLLBACK }
}
