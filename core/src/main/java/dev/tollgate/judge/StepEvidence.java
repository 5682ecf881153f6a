package dev.tollgate.judge;

import dev.tollgate.spec.AnalysisSpec;
import dev.tollgate.spec.StepSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the judge needs for one tick: the rules (analysis and step spec), the observations
 * since the step began, the alarm states, and the SLO window figures of the canary.
 */
public record StepEvidence(
        AnalysisSpec analysis,
        StepSpec step,
        int canaryWeight,
        List<MetricObservations> metrics,
        Map<String, AlarmState> alarms,
        Instant now) {

    public StepEvidence {
        metrics = List.copyOf(metrics);
        alarms = Map.copyOf(alarms);
    }
}
