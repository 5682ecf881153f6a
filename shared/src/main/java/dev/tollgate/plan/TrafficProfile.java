package dev.tollgate.plan;

import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.metrics.SeriesQuery;
import dev.tollgate.spec.DeploymentSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The live version's measured traffic, per analysis period: every baseline series the judge reads for the
 * spec's metrics (a RATIO's numerator and denominator, a STATISTIC's value and its sample count), keyed as
 * {@link AnalysisService#queriesFor} names them. The live version serves all traffic, so a canary at weight
 * w would see about w of each period's requests.
 */
public record TrafficProfile(int periodSeconds, Instant from, Instant to, Map<String, MetricSeries> baseline) {

    public TrafficProfile {
        baseline = Map.copyOf(baseline);
    }

    /** One batched read of the baseline side of every metric over [from, to). */
    public static TrafficProfile read(MetricSource metrics, DeploymentSpec spec, Instant from, Instant to) {
        List<SeriesQuery> queries = new ArrayList<>();
        for (int index = 0; index < spec.analysis().metrics().size(); index++) {
            AnalysisService.queriesFor(index, spec.analysis().metrics().get(index)).stream()
                    .filter(query -> query.id().endsWith("_bn")
                            || query.id().endsWith("_bd")
                            || query.id().endsWith("_bv")
                            || query.id().endsWith("_bs"))
                    .forEach(queries::add);
        }
        int period = spec.analysis().periodSeconds();
        return new TrafficProfile(
                period, from, to, queries.isEmpty() ? Map.of() : metrics.series(queries, from, to, period));
    }

    public MetricSeries series(int metricIndex, String part) {
        return baseline.getOrDefault("m" + metricIndex + "_" + part, MetricSeries.EMPTY);
    }

    /** Every period in which any series has a data point, oldest first: what a simulated period is drawn from. */
    public List<Instant> periods() {
        TreeSet<Instant> periods = new TreeSet<>();
        baseline.values().forEach(series -> periods.addAll(series.timestamps()));
        return List.copyOf(periods);
    }

    /** The value of a series at a period, or NaN where it has none. */
    public double valueAt(int metricIndex, String part, Instant period) {
        MetricSeries series = series(metricIndex, part);
        int at = series.timestamps().indexOf(period);
        return at < 0 ? Double.NaN : series.values().get(at);
    }

    public boolean isEmpty() {
        return periods().isEmpty();
    }
}
