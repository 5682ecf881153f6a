package dev.tollgate.analysis;

import dev.tollgate.aws.Placed;
import dev.tollgate.decision.StepAnalysis;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.decision.TickSchedule;
import dev.tollgate.json.Nullable;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.CheckVerdict;
import dev.tollgate.judge.CheckVerdict.CheckKind;
import dev.tollgate.judge.DryRunChecks;
import dev.tollgate.judge.Judge;
import dev.tollgate.judge.MetricObservations;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.judge.StepEvidence;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.metrics.SeriesQuery;
import dev.tollgate.spec.AnalysisSpec;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.RolloutBudget.Caps;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One analysis tick: read every metric of the step (canary and baseline) in one batched call and
 * the alarms in another, then ask the judge. The whole step is re-read each tick rather than
 * carried in the state: one call is cheap, and the verdict never depends on what an earlier,
 * possibly retried, tick saw.
 */
public final class AnalysisService implements StepAnalysis {

    private static final String SAMPLE_COUNT = "SampleCount";

    private final Placed<MetricSource> metrics;
    private final Judge judge;
    private final Clock clock;

    public AnalysisService(MetricSource metrics, Judge judge, Clock clock) {
        this(Placed.everywhere(metrics), judge, clock);
    }

    /** With the metrics and alarms read where each deployment's target publishes them. */
    public AnalysisService(Placed<MetricSource> metrics, Judge judge, Clock clock) {
        this.metrics = metrics;
        this.judge = judge;
        this.clock = clock;
    }

    /** The step's verdict as of this service's clock. */
    public StepVerdict analyse(DeploymentSpec spec, StepProgress progress) {
        return analyse(spec, progress, null);
    }

    @Override
    public StepVerdict analyse(DeploymentSpec spec, StepProgress progress, @Nullable Instant tickStartedAt) {
        progress.requireStepOf(spec);
        AnalysisSpec analysis = spec.analysis();
        Instant now = TickSchedule.readAsOf(clock.instant(), tickStartedAt);
        int period = analysis.periodSeconds();
        // Whole periods only: from the first full period after the shift to the last one that has ended and
        // had time to be published.
        Instant start = TickSchedule.ceilToPeriod(progress.stepStartedAt(), period);
        Instant end = TickSchedule.lastPublishedPeriodEnd(now, period);
        List<SeriesQuery> queries = new ArrayList<>();
        for (int index = 0; index < analysis.metrics().size(); index++) {
            queries.addAll(queriesFor(index, analysis.metrics().get(index)));
        }
        MetricSource source = metrics.at(spec);
        Map<String, MetricSeries> series =
                queries.isEmpty() || !end.isAfter(start) ? Map.of() : source.series(queries, start, end, period);
        List<MetricObservations> observations = observations(analysis, series);
        Map<String, AlarmState> alarms = source.alarmStates(analysis.alarms());
        return bounded(DryRunChecks.judge(
                judge,
                new StepEvidence(
                        analysis,
                        spec.step(progress.stepIndex()),
                        progress.canaryWeight(),
                        observations,
                        alarms,
                        now)));
    }

    /**
     * The verdict held to the sizes the spec's budget counts on (RolloutBudget.Caps, docs/quotas.md):
     * reasons cut at their cap, at most so many numbers a check. A verdict of 50 metrics and 100 alarms
     * then always fits in the answer a task may give.
     */
    public static StepVerdict bounded(StepVerdict verdict) {
        List<CheckVerdict> checks = new ArrayList<>();
        for (CheckVerdict check : verdict.checks()) {
            Map<String, Double> numbers = new TreeMap<>();
            new TreeMap<>(check.numbers()).forEach((name, value) -> {
                if (name.length() <= Caps.NUMBER_NAME_CHARACTERS && numbers.size() < Caps.NUMBERS_PER_CHECK) {
                    numbers.put(name, value);
                }
            });
            int reasonBytes = check.kind() == CheckKind.ALARM ? Caps.ALARM_REASON_BYTES : Caps.CHECK_REASON_BYTES;
            checks.add(new CheckVerdict(
                    check.name(),
                    check.kind(),
                    check.verdict(),
                    Caps.bounded(check.reason(), reasonBytes),
                    numbers,
                    check.dryRun()));
        }
        return new StepVerdict(
                verdict.verdict(),
                Caps.bounded(verdict.reason(), Caps.VERDICT_REASON_BYTES),
                checks,
                verdict.minimumSampleReached(),
                verdict.analysedAt());
    }

    /**
     * The series the judge reads for the spec's metric {@code index} (the rollout report reads the
     * same): a RATIO's numerator and denominator on both sides; a STATISTIC's value on both sides,
     * and, where its noise shrinks with the number of values behind it (a percentile, an average),
     * their SampleCount, so the judge can bound each period's noise by its traffic.
     */
    public static List<SeriesQuery> queriesFor(int index, MetricSpec metric) {
        if (metric.kind() == MetricKind.RATIO) {
            return List.of(
                    new SeriesQuery(
                            id(index, "cn"),
                            metric.numerator().namespace(),
                            metric.numerator().metric(),
                            metric.canaryDimensions(),
                            "Sum"),
                    new SeriesQuery(
                            id(index, "cd"),
                            metric.denominator().namespace(),
                            metric.denominator().metric(),
                            metric.canaryDimensions(),
                            "Sum"),
                    new SeriesQuery(
                            id(index, "bn"),
                            metric.numerator().namespace(),
                            metric.numerator().metric(),
                            metric.baselineDimensions(),
                            "Sum"),
                    new SeriesQuery(
                            id(index, "bd"),
                            metric.denominator().namespace(),
                            metric.denominator().metric(),
                            metric.baselineDimensions(),
                            "Sum"));
        }
        List<SeriesQuery> queries = new ArrayList<>(List.of(
                new SeriesQuery(
                        id(index, "cv"), metric.namespace(), metric.metric(), metric.canaryDimensions(), metric.stat()),
                new SeriesQuery(
                        id(index, "bv"),
                        metric.namespace(),
                        metric.metric(),
                        metric.baselineDimensions(),
                        metric.stat())));
        if (MetricObservations.usesSampleCounts(metric)) {
            queries.add(new SeriesQuery(
                    id(index, "cs"), metric.namespace(), metric.metric(), metric.canaryDimensions(), SAMPLE_COUNT));
            queries.add(new SeriesQuery(
                    id(index, "bs"), metric.namespace(), metric.metric(), metric.baselineDimensions(), SAMPLE_COUNT));
        }
        return List.copyOf(queries);
    }

    /** Every metric's observations from the series {@link #queriesFor} named (a series not read is empty). */
    public static List<MetricObservations> observations(AnalysisSpec analysis, Map<String, MetricSeries> series) {
        List<MetricObservations> observations = new ArrayList<>();
        for (int index = 0; index < analysis.metrics().size(); index++) {
            observations.add(observationsFor(index, analysis.metrics().get(index), series));
        }
        return observations;
    }

    /** True for a query {@link #queriesFor} made of the canary (the new version), false for the baseline's. */
    public static boolean isCanarySide(SeriesQuery query) {
        return query.id().contains("_c");
    }

    private static MetricObservations observationsFor(int index, MetricSpec metric, Map<String, MetricSeries> series) {
        if (metric.kind() == MetricKind.RATIO) {
            return MetricObservations.ratio(
                    metric,
                    get(series, index, "cn"),
                    get(series, index, "cd"),
                    get(series, index, "bn"),
                    get(series, index, "bd"));
        }
        return MetricObservations.statistic(
                metric,
                get(series, index, "cv"),
                get(series, index, "bv"),
                get(series, index, "cs"),
                get(series, index, "bs"));
    }

    private static MetricSeries get(Map<String, MetricSeries> series, int index, String part) {
        return series.getOrDefault(id(index, part), MetricSeries.EMPTY);
    }

    /** GetMetricData ids must start with a lower-case letter and hold only letters, digits and '_'. */
    private static String id(int index, String part) {
        return "m" + index + "_" + part;
    }
}
