package dev.tollgate.judge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Lines the canary's and the baseline's series up by period timestamp. A period absent from any
 * of the series a comparison needs is left out, never read as zero: CloudWatch returns no point
 * for a period it has no data for, and "no data" must not look like "no errors".
 */
final class PairedPeriods {

    private PairedPeriods() {}

    /** Error and request counts of one period on both sides. */
    record Counts(
            Instant period,
            double canaryErrors,
            double canaryRequests,
            double baselineErrors,
            double baselineRequests) {

        double totalErrors() {
            return canaryErrors + baselineErrors;
        }

        /** The canary's share of this period's requests: the share of errors it should get when nothing regressed. */
        double canaryShare() {
            return canaryRequests / (canaryRequests + baselineRequests);
        }
    }

    /**
     * One period's value of a statistic (a percentile, a custom metric) on both sides, how many
     * values each was computed from (NaN when unknown), and each side's companion percentile of the
     * same latency in the same period (the p99 beside a p95; NaN when there is none).
     */
    record Values(
            Instant period,
            double canary,
            double baseline,
            double canarySamples,
            double baselineSamples,
            double canaryCompanion,
            double baselineCompanion) {}

    /** Periods where both sides have requests and every count is a finite, non-negative number. */
    static List<Counts> counts(MetricObservations observations) {
        Map<Instant, Double> canaryErrors = byPeriod(observations.canaryNumerator());
        Map<Instant, Double> baselineErrors = byPeriod(observations.baselineNumerator());
        Map<Instant, Double> baselineRequests = byPeriod(observations.baselineDenominator());
        Map<Instant, Double> canaryRequests = byPeriod(observations.canaryDenominator());
        List<Counts> paired = new ArrayList<>();
        for (Instant period : new TreeSet<>(canaryRequests.keySet())) {
            Double ce = canaryErrors.get(period);
            Double cr = canaryRequests.get(period);
            Double be = baselineErrors.get(period);
            Double br = baselineRequests.get(period);
            if (usable(ce) && usable(cr) && usable(be) && usable(br) && cr > 0 && br > 0) {
                paired.add(new Counts(period, ce, cr, be, br));
            }
        }
        return paired;
    }

    /**
     * Periods where both sides have a finite value; NaN and missing points are skipped. Sample
     * counts, and the companion's values (null: no companion), ride along where known.
     */
    static List<Values> values(MetricObservations observations, MetricObservations companion) {
        Map<Instant, Double> canary = byPeriod(observations.canaryValues());
        Map<Instant, Double> baseline = byPeriod(observations.baselineValues());
        Map<Instant, Double> canarySamples = byPeriod(observations.canarySamples());
        Map<Instant, Double> baselineSamples = byPeriod(observations.baselineSamples());
        Map<Instant, Double> canaryCompanion = companion == null ? Map.of() : byPeriod(companion.canaryValues());
        Map<Instant, Double> baselineCompanion = companion == null ? Map.of() : byPeriod(companion.baselineValues());
        List<Values> paired = new ArrayList<>();
        for (Instant period : new TreeSet<>(canary.keySet())) {
            Double canaryValue = canary.get(period);
            Double baselineValue = baseline.get(period);
            if (finite(canaryValue) && finite(baselineValue)) {
                paired.add(new Values(
                        period,
                        canaryValue,
                        baselineValue,
                        count(canarySamples.get(period)),
                        count(baselineSamples.get(period)),
                        value(canaryCompanion.get(period)),
                        value(baselineCompanion.get(period))));
            }
        }
        return paired;
    }

    private static double value(Double value) {
        return finite(value) ? value : Double.NaN;
    }

    private static double count(Double samples) {
        return usable(samples) ? samples : Double.NaN;
    }

    /** The latest period any of the metric's series has a point for, or null when all are empty. */
    static Instant latestPeriod(MetricObservations observations) {
        Instant latest = null;
        for (MetricSeries series : List.of(
                observations.canaryNumerator(),
                observations.canaryDenominator(),
                observations.baselineNumerator(),
                observations.baselineDenominator(),
                observations.canaryValues(),
                observations.baselineValues(),
                observations.canarySamples(),
                observations.baselineSamples())) {
            for (Instant period : series.timestamps()) {
                if (latest == null || period.isAfter(latest)) {
                    latest = period;
                }
            }
        }
        return latest;
    }

    /** The observations as they stood one look earlier: every point before {@code period}. */
    static MetricObservations before(MetricObservations observations, Instant period) {
        return new MetricObservations(
                observations.metric(),
                before(observations.canaryNumerator(), period),
                before(observations.canaryDenominator(), period),
                before(observations.baselineNumerator(), period),
                before(observations.baselineDenominator(), period),
                before(observations.canaryValues(), period),
                before(observations.baselineValues(), period),
                before(observations.canarySamples(), period),
                before(observations.baselineSamples(), period));
    }

    private static MetricSeries before(MetricSeries series, Instant period) {
        List<Instant> timestamps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            if (series.timestamps().get(i).isBefore(period)) {
                timestamps.add(series.timestamps().get(i));
                values.add(series.values().get(i));
            }
        }
        return new MetricSeries(timestamps, values);
    }

    private static Map<Instant, Double> byPeriod(MetricSeries series) {
        Map<Instant, Double> values = new HashMap<>();
        for (int i = 0; i < series.size(); i++) {
            values.put(series.timestamps().get(i), series.values().get(i));
        }
        return values;
    }

    private static boolean usable(Double count) {
        return finite(count) && count >= 0;
    }

    private static boolean finite(Double value) {
        return value != null && Double.isFinite(value);
    }
}
