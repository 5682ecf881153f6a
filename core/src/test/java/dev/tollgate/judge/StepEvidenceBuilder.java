package dev.tollgate.judge;

import dev.tollgate.spec.AnalysisSpec;
import dev.tollgate.spec.AnalysisSpec.InconclusivePolicy;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.MetricSpec.MetricRef;
import dev.tollgate.spec.SloSpec;
import dev.tollgate.spec.StepSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a step's evidence period by period, the way the analysis service would read it from
 * CloudWatch: a null count or value is a period with no data point.
 */
final class StepEvidenceBuilder {

    static final Instant STEP_START = Instant.parse("2026-11-24T10:00:00Z");
    static final int PERIOD_SECONDS = 60;

    private final List<MetricSeriesBuilder> metrics = new ArrayList<>();
    private final Map<String, AlarmState> alarms = new LinkedHashMap<>();
    private final List<String> alarmNames = new ArrayList<>();
    private SloSpec slo;
    private double falsePositiveRate = 0.01;
    private long minRequests = 500;

    static MetricSpec errorRate(double tolerance) {
        return ratio("error-rate", tolerance, Direction.INCREASE_IS_BAD, true);
    }

    static MetricSpec ratio(String name, double tolerance, Direction direction, boolean critical) {
        return new MetricSpec(
                name,
                MetricKind.RATIO,
                new MetricRef("App", name + "-numerator"),
                new MetricRef("App", "Requests"),
                null,
                null,
                null,
                Map.of("Version", "v2"),
                Map.of("Version", "v1"),
                direction,
                tolerance,
                critical);
    }

    static MetricSpec statistic(String name, String stat, double tolerance, Direction direction, boolean critical) {
        return new MetricSpec(
                name,
                MetricKind.STATISTIC,
                null,
                null,
                "App",
                "Latency",
                stat,
                Map.of("Version", "v2"),
                Map.of("Version", "v1"),
                direction,
                tolerance,
                critical);
    }

    StepEvidenceBuilder falsePositiveRate(double rate) {
        falsePositiveRate = rate;
        return this;
    }

    StepEvidenceBuilder minRequests(long requests) {
        minRequests = requests;
        return this;
    }

    StepEvidenceBuilder slo(SloSpec spec) {
        slo = spec;
        return this;
    }

    StepEvidenceBuilder alarm(String name, AlarmState state) {
        alarmNames.add(name);
        if (state != null) {
            alarms.put(name, state);
        }
        return this;
    }

    /** Adds a metric; feed it with {@link MetricSeriesBuilder#period}. */
    MetricSeriesBuilder metric(MetricSpec spec) {
        MetricSeriesBuilder series = new MetricSeriesBuilder(spec);
        metrics.add(series);
        return series;
    }

    /** The evidence after the first {@code periods} periods of every metric. */
    StepEvidence after(int periods) {
        AnalysisSpec analysis = new AnalysisSpec(
                PERIOD_SECONDS,
                metrics.stream().map(m -> m.spec).toList(),
                slo,
                alarmNames,
                falsePositiveRate,
                InconclusivePolicy.PAUSE);
        StepSpec step = new StepSpec(10, 600, 1800, minRequests, false);
        List<MetricObservations> observations =
                metrics.stream().map(m -> m.observations(periods)).toList();
        return new StepEvidence(
                analysis, step, 10, observations, alarms, STEP_START.plusSeconds((long) periods * PERIOD_SECONDS));
    }

    StepVerdict judgeAfter(int periods) {
        return new SequentialJudge().judge(after(periods));
    }

    static CheckVerdict check(StepVerdict verdict, String name) {
        return verdict.checks().stream()
                .filter(check -> check.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check named " + name + " in " + verdict.checks()));
    }

    /**
     * One metric's per-period points; for a RATIO each period holds (canary errors, canary requests,
     * baseline errors, baseline requests); for a STATISTIC (canary value, baseline value), and
     * optionally their sample counts.
     */
    static final class MetricSeriesBuilder {
        private final MetricSpec spec;
        private final List<Double[]> periods = new ArrayList<>();

        private MetricSeriesBuilder(MetricSpec spec) {
            this.spec = spec;
        }

        MetricSeriesBuilder period(Double... points) {
            boolean fits =
                    spec.kind() == MetricKind.RATIO ? points.length == 4 : points.length == 2 || points.length == 4;
            if (!fits) {
                throw new IllegalArgumentException(spec.name() + " takes "
                        + (spec.kind() == MetricKind.RATIO ? "4" : "2 or 4") + " points a period");
            }
            periods.add(points);
            return this;
        }

        /** Ratio periods from whole numbers: canary errors and requests, then the baseline's. */
        MetricSeriesBuilder counts(
                double canaryErrors, double canaryRequests, double baselineErrors, double baselineRequests) {
            return period(canaryErrors, canaryRequests, baselineErrors, baselineRequests);
        }

        MetricSeriesBuilder repeatCounts(
                int times, double canaryErrors, double canaryRequests, double baselineErrors, double baselineRequests) {
            for (int i = 0; i < times; i++) {
                counts(canaryErrors, canaryRequests, baselineErrors, baselineRequests);
            }
            return this;
        }

        MetricSeriesBuilder values(Double canary, Double baseline) {
            return period(canary, baseline);
        }

        /** A statistic's values with the number of values each was computed from (CloudWatch's SampleCount). */
        MetricSeriesBuilder sampled(Double canary, Double baseline, Double canarySamples, Double baselineSamples) {
            return period(canary, baseline, canarySamples, baselineSamples);
        }

        MetricSeriesBuilder repeatValues(int times, double canary, double baseline) {
            for (int i = 0; i < times; i++) {
                values(canary, baseline);
            }
            return this;
        }

        private MetricObservations observations(int upTo) {
            if (spec.kind() == MetricKind.RATIO) {
                return MetricObservations.ratio(
                        spec, series(upTo, 0), series(upTo, 1), series(upTo, 2), series(upTo, 3));
            }
            return MetricObservations.statistic(
                    spec, series(upTo, 0), series(upTo, 1), series(upTo, 2), series(upTo, 3));
        }

        private MetricSeries series(int upTo, int column) {
            List<Instant> timestamps = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int k = 0; k < Math.min(upTo, periods.size()); k++) {
                Double value = column < periods.get(k).length ? periods.get(k)[column] : null;
                if (value != null) {
                    timestamps.add(STEP_START.plusSeconds((long) k * PERIOD_SECONDS));
                    values.add(value);
                }
            }
            return new MetricSeries(timestamps, values);
        }
    }
}
