package dev.tollgate.plan;

import dev.tollgate.decision.Action;
import dev.tollgate.decision.Decision;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.judge.DryRunChecks;
import dev.tollgate.judge.Judge;
import dev.tollgate.judge.MetricObservations;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.judge.StepEvidence;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.StepSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One step simulated from the service's measured traffic and judged by the real judge and decision
 * policy, period by period, as a live step would be. Each period is a period of the live version's
 * history drawn at random: the canary gets a binomial share (the step's weight) of its requests, its
 * errors at the period's error rate times the regression's factor, and its statistics the period's value
 * times the regression's factor with sampling noise for its share of the samples; the baseline gets the rest.
 */
public final class StepSimulator {

    /** Where the simulated step starts: any whole period serves, the judge reads only the order of periods. */
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** What one simulated step came to: PASS, FAIL or UNDECIDED, after how many periods, and when the evidence alone sufficed. */
    public record Run(Verdict outcome, int periodsToDecision, int periodsToEvidence) {}

    private final DeploymentSpec spec;
    private final TrafficProfile traffic;
    private final Judge judge;
    private final List<Instant> periods;
    private final double[] statisticNoise;

    /** {@code spec} without its alarms ({@code ReplayService.withoutAlarms}): their states cannot be drawn from traffic. */
    public StepSimulator(DeploymentSpec spec, TrafficProfile traffic, Judge judge) {
        this.spec = spec;
        this.traffic = traffic;
        this.judge = judge;
        this.periods = traffic.periods();
        List<MetricSpec> metrics = spec.analysis().metrics();
        this.statisticNoise = new double[metrics.size()];
        for (int index = 0; index < metrics.size(); index++) {
            statisticNoise[index] =
                    metrics.get(index).kind() == MetricKind.STATISTIC ? logNoise(traffic.series(index, "bv")) : 0;
        }
    }

    public Run simulate(int stepIndex, Regression regression, Random random) {
        StepSpec step = spec.step(stepIndex);
        int period = spec.analysis().periodSeconds();
        double weight = step.weight() / 100.0;
        List<MetricSpec> metrics = spec.analysis().metrics();
        List<SimulatedSeries> series = new ArrayList<>();
        metrics.forEach(metric -> series.add(new SimulatedSeries()));
        StepProgress progress = StepProgress.started(stepIndex, step.weight(), START, period);
        int maxPeriods = Math.max(1, step.maxBakeSeconds() / period);
        int evidence = -1;
        for (int tick = 1; tick <= maxPeriods; tick++) {
            Instant at = START.plusSeconds((long) period * (tick - 1));
            Instant drawn = periods.get(random.nextInt(periods.size()));
            for (int index = 0; index < metrics.size(); index++) {
                simulatePeriod(index, metrics.get(index), drawn, at, weight, regression, random, series.get(index));
            }
            List<MetricObservations> observations = new ArrayList<>();
            for (int index = 0; index < metrics.size(); index++) {
                observations.add(series.get(index).observations(metrics.get(index)));
            }
            Instant now = START.plusSeconds((long) period * tick);
            StepVerdict verdict = DryRunChecks.judge(
                    judge, new StepEvidence(spec.analysis(), step, step.weight(), observations, Map.of(), now));
            if (evidence < 0 && verdict.verdict() == Verdict.PASS && verdict.minimumSampleReached()) {
                evidence = tick;
            }
            Decision decision = new DecisionPolicy().decide(spec, progress, verdict, Optional.empty(), now);
            if (decision.action() != Action.CONTINUE_BAKING) {
                Verdict outcome = verdict.verdict() == Verdict.FAIL
                        ? Verdict.FAIL
                        : verdict.verdict() == Verdict.PASS && verdict.minimumSampleReached()
                                ? Verdict.PASS
                                : Verdict.INCONCLUSIVE;
                return new Run(outcome, tick, evidence);
            }
        }
        return new Run(Verdict.INCONCLUSIVE, maxPeriods, evidence);
    }

    private void simulatePeriod(
            int index,
            MetricSpec metric,
            Instant drawn,
            Instant at,
            double weight,
            Regression regression,
            Random random,
            SimulatedSeries series) {
        boolean worse = metric.direction() == Direction.INCREASE_IS_BAD;
        if (metric.kind() == MetricKind.RATIO) {
            double requests = traffic.valueAt(index, "bd", drawn);
            double failures = traffic.valueAt(index, "bn", drawn);
            if (Double.isNaN(requests) || requests <= 0) {
                return;
            }
            double rate = Double.isNaN(failures) ? 0 : Math.min(1, failures / requests);
            long canaryRequests = Sampling.binomial(Math.round(requests), weight, random);
            long baselineRequests = Math.round(requests) - canaryRequests;
            double canaryRate = Math.min(1, worse ? rate * regression.errorFactor() : rate);
            series.add(
                    at,
                    Sampling.binomial(canaryRequests, canaryRate, random),
                    canaryRequests,
                    Sampling.binomial(baselineRequests, rate, random),
                    baselineRequests);
            return;
        }
        double value = traffic.valueAt(index, "bv", drawn);
        if (Double.isNaN(value)) {
            return;
        }
        double noise = statisticNoise[index];
        double factor = worse ? regression.statisticFactor() : 1;
        double canary = value * factor * Math.exp(noise / Math.sqrt(weight) * random.nextGaussian());
        double baseline = value * Math.exp(noise / Math.sqrt(1 - weight) * random.nextGaussian());
        double samples = traffic.valueAt(index, "bs", drawn);
        series.add(
                at,
                canary,
                Double.isNaN(samples) ? Double.NaN : Math.max(1, Math.round(samples * weight)),
                baseline,
                Double.isNaN(samples) ? Double.NaN : Math.max(1, Math.round(samples * (1 - weight))));
    }

    /**
     * A statistic's noise from one period to the next, on the log scale: the spread of the log ratio of
     * consecutive values over the square root of 2 (each value carries its own). It holds sampling noise
     * at all the traffic and any drift, so a side with a share w of the samples gets it over the square root of w.
     */
    static double logNoise(MetricSeries values) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 1; i < values.size(); i++) {
            double previous = values.values().get(i - 1);
            double current = values.values().get(i);
            if (previous > 0 && current > 0) {
                ratios.add(Math.log(current / previous));
            }
        }
        if (ratios.size() < 2) {
            return 0;
        }
        double mean = ratios.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double variance =
                ratios.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum() / (ratios.size() - 1);
        return Math.sqrt(variance / 2);
    }

    /** The simulated periods of one metric so far: canary and baseline, numerator and denominator (or value and samples). */
    private static final class SimulatedSeries {
        private final List<Instant> times = new ArrayList<>();
        private final List<Double> canaryFirst = new ArrayList<>();
        private final List<Double> canarySecond = new ArrayList<>();
        private final List<Double> baselineFirst = new ArrayList<>();
        private final List<Double> baselineSecond = new ArrayList<>();

        void add(Instant at, double canary, double canaryCount, double baseline, double baselineCount) {
            times.add(at);
            canaryFirst.add(canary);
            canarySecond.add(canaryCount);
            baselineFirst.add(baseline);
            baselineSecond.add(baselineCount);
        }

        MetricObservations observations(MetricSpec metric) {
            if (metric.kind() == MetricKind.RATIO) {
                return MetricObservations.ratio(
                        metric,
                        series(canaryFirst),
                        series(canarySecond),
                        series(baselineFirst),
                        series(baselineSecond));
            }
            boolean counted = MetricObservations.usesSampleCounts(metric)
                    && canarySecond.stream().noneMatch(count -> Double.isNaN(count));
            return MetricObservations.statistic(
                    metric,
                    series(canaryFirst),
                    series(baselineFirst),
                    counted ? series(canarySecond) : MetricSeries.EMPTY,
                    counted ? series(baselineSecond) : MetricSeries.EMPTY);
        }

        private MetricSeries series(List<Double> values) {
            return new MetricSeries(times, values);
        }
    }
}
