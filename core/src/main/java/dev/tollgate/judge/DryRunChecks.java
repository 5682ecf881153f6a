package dev.tollgate.judge;

import dev.tollgate.spec.AnalysisSpec;
import dev.tollgate.spec.MetricSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Dry-run checks (docs/replay-and-plan.md#dry-run-checks): a metric or alarm marked {@code dryRun}
 * is judged every tick by the same judge, and shown with its verdict and numbers, but the step's
 * verdict is the one the judge gives without it. The judge runs twice, once on the checks that
 * decide and once on the dry runs alone, so no dry run can fail, pass or hold a step, nor count
 * towards its minimum sample, whatever it reads.
 */
public final class DryRunChecks {

    private DryRunChecks() {}

    /** The step's verdict from the deciding checks, with every dry-run check's verdict appended and marked. */
    public static StepVerdict judge(Judge judge, StepEvidence evidence) {
        AnalysisSpec analysis = evidence.analysis();
        List<MetricObservations> deciding = new ArrayList<>();
        List<MetricObservations> dryRuns = new ArrayList<>();
        for (MetricObservations observations : evidence.metrics()) {
            (observations.metric().dryRun() ? dryRuns : deciding).add(observations);
        }
        if (dryRuns.isEmpty() && analysis.dryRunAlarms().isEmpty()) {
            return judge.judge(evidence);
        }
        List<String> decidingAlarms = analysis.alarms().stream()
                .filter(alarm -> !analysis.dryRunAlarms().contains(alarm))
                .toList();
        StepVerdict verdict = judge.judge(restrictedTo(evidence, deciding, decidingAlarms, true));
        StepVerdict dryRunVerdict = judge.judge(restrictedTo(evidence, dryRuns, analysis.dryRunAlarms(), false));
        List<CheckVerdict> checks = new ArrayList<>(verdict.checks());
        dryRunVerdict.checks().forEach(check -> checks.add(check.asDryRun()));
        return new StepVerdict(
                verdict.verdict(), verdict.reason(), checks, verdict.minimumSampleReached(), verdict.analysedAt());
    }

    /** The evidence of some metrics and alarms only; the SLO's burn rate goes with the deciding checks (it decides). */
    private static StepEvidence restrictedTo(
            StepEvidence evidence, List<MetricObservations> metrics, List<String> alarms, boolean withSlo) {
        AnalysisSpec analysis = evidence.analysis();
        List<MetricSpec> specs =
                metrics.stream().map(MetricObservations::metric).toList();
        AnalysisSpec restricted = new AnalysisSpec(
                analysis.periodSeconds(),
                specs,
                withSlo ? analysis.slo() : null,
                alarms,
                analysis.falsePositiveRate(),
                analysis.onInconclusive());
        return new StepEvidence(
                restricted, evidence.step(), evidence.canaryWeight(), metrics, evidence.alarms(), evidence.now());
    }
}
