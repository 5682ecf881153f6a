package dev.tollgate.plan;

import dev.tollgate.errors.InvalidWindowException;
import dev.tollgate.judge.Judge;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.judge.Verdict;
import dev.tollgate.plan.Plan.Outcomes;
import dev.tollgate.plan.Plan.StepPlan;
import dev.tollgate.replay.ReplayService;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.StepSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code tollgate plan}: how the spec's steps would fare on the service's own traffic, found by running the
 * real judge on many simulated steps ({@link StepSimulator}) for a healthy release and for regressions of a
 * few sizes: not a textbook formula, the judge's own behaviour.
 */
public final class Planner {

    /** The releases a plan simulates: a healthy one, errors 1.5 and 2 times the live version's, a statistic 1.3 times. */
    public static final List<Regression> RELEASES = List.of(
            Regression.HEALTHY,
            new Regression("errors x1.5", 1.5, 1),
            new Regression("errors x2", 2, 1),
            new Regression("latency x1.3", 1, 1.3));
    /** Fewer measured periods than this cannot stand for the service's traffic. */
    static final int MIN_PERIODS = 10;

    private final Judge judge;

    public Planner(Judge judge) {
        this.judge = judge;
    }

    public Plan plan(DeploymentSpec spec, TrafficProfile traffic, int runs, long seed) {
        int measured = traffic.periods().size();
        if (measured < MIN_PERIODS) {
            throw new InvalidWindowException(
                    "cannot plan: the live version's metrics have " + measured + " periods of data between "
                            + traffic.from() + " and " + traffic.to() + "; at least " + MIN_PERIODS
                            + " are needed (check the spec's"
                            + " baselineDimensions, or look further back)");
        }
        DeploymentSpec simulated = ReplayService.withoutAlarms(spec);
        StepSimulator simulator = new StepSimulator(simulated, traffic, judge);
        double requestsPerPeriod = meanRequestsPerPeriod(spec, traffic);
        List<StepPlan> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!spec.analysis().alarms().isEmpty()) {
            notes.add(
                    "alarms " + spec.analysis().alarms() + " are left out: their states cannot be drawn from traffic");
        }
        int period = spec.analysis().periodSeconds();
        for (int stepIndex = 0; stepIndex < spec.promotionStepIndex(); stepIndex++) {
            StepSpec step = spec.step(stepIndex);
            double canaryPerPeriod = requestsPerPeriod * step.weight() / 100.0;
            double periodsToMin =
                    canaryPerPeriod > 0 ? Math.ceil(step.minRequests() / canaryPerPeriod) : Double.POSITIVE_INFINITY;
            boolean reachable = periodsToMin * period <= step.maxBakeSeconds();
            List<Outcomes> outcomes = new ArrayList<>();
            int suggested = period;
            for (Regression release : applicable(spec)) {
                Random random = new Random(seed * 31 + stepIndex * 7L + RELEASES.indexOf(release));
                List<StepSimulator.Run> results = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    results.add(simulator.simulate(stepIndex, release, random));
                }
                outcomes.add(outcomes(release, results));
                if (release.healthy()) {
                    suggested = suggestedBake(results, period);
                }
            }
            steps.add(new StepPlan(
                    stepIndex,
                    step.weight(),
                    step.bakeSeconds(),
                    step.maxBakeSeconds(),
                    step.minRequests(),
                    canaryPerPeriod,
                    periodsToMin,
                    reachable,
                    outcomes,
                    suggested));
            notes.addAll(stepNotes(stepIndex, spec, steps.get(steps.size() - 1)));
        }
        return new Plan(period, measured, requestsPerPeriod, runs, steps, notes);
    }

    /** The releases that change something the spec measures: error regressions need a RATIO, statistic ones a STATISTIC. */
    static List<Regression> applicable(DeploymentSpec spec) {
        boolean ratios = spec.analysis().metrics().stream()
                .anyMatch(metric -> metric.kind() == MetricKind.RATIO
                        && !metric.dryRun()
                        && metric.direction() == Direction.INCREASE_IS_BAD);
        boolean statistics = spec.analysis().metrics().stream()
                .anyMatch(metric -> metric.kind() == MetricKind.STATISTIC
                        && !metric.dryRun()
                        && metric.direction() == Direction.INCREASE_IS_BAD);
        return RELEASES.stream()
                .filter(release -> release.healthy()
                        || release.errorFactor() != 1 && ratios
                        || release.statisticFactor() != 1 && statistics)
                .toList();
    }

    static Outcomes outcomes(Regression release, List<StepSimulator.Run> runs) {
        double count = runs.size();
        double pass = runs.stream().filter(run -> run.outcome() == Verdict.PASS).count() / count;
        double fail = runs.stream().filter(run -> run.outcome() == Verdict.FAIL).count() / count;
        double[] decision =
                runs.stream().mapToDouble(StepSimulator.Run::periodsToDecision).toArray();
        double mean = Arrays.stream(decision).average().orElse(Double.NaN);
        double variance = Arrays.stream(decision)
                        .map(value -> (value - mean) * (value - mean))
                        .sum()
                / Math.max(1, count - 1);
        return new Outcomes(
                release,
                pass,
                fail,
                1 - pass - fail,
                meanPeriods(runs, Verdict.PASS),
                meanPeriods(runs, Verdict.FAIL),
                mean,
                Math.sqrt(variance / count));
    }

    private static double meanPeriods(List<StepSimulator.Run> runs, Verdict outcome) {
        return runs.stream()
                .filter(run -> run.outcome() == outcome)
                .mapToInt(StepSimulator.Run::periodsToDecision)
                .average()
                .orElse(Double.NaN);
    }

    /** The bake by which 90 % of healthy runs had their evidence (never less than a period; the max bake when they seldom had it). */
    static int suggestedBake(List<StepSimulator.Run> healthy, int periodSeconds) {
        int[] ready = healthy.stream()
                .mapToInt(run -> run.periodsToEvidence() < 0 ? Integer.MAX_VALUE : run.periodsToEvidence())
                .sorted()
                .toArray();
        int p90 = ready[Math.min(ready.length - 1, (int) Math.ceil(0.9 * ready.length) - 1)];
        return p90 == Integer.MAX_VALUE ? -1 : Math.max(1, p90) * periodSeconds;
    }

    private static List<String> stepNotes(int stepIndex, DeploymentSpec spec, StepPlan step) {
        List<String> notes = new ArrayList<>();
        String name = "step " + (stepIndex + 1) + " (" + step.weight() + " %)";
        if (!step.minRequestsReachable()) {
            notes.add(String.format(
                    Locale.ROOT,
                    "%s: minRequests %d needs about %.0f periods at %.0f canary requests a period,"
                            + " more than maxBakeSeconds %d allows: raise the weight or maxBakeSeconds, or lower minRequests",
                    name,
                    step.minRequests(),
                    step.periodsToMinRequests(),
                    step.canaryRequestsPerPeriod(),
                    step.maxBakeSeconds()));
        }
        if (step.suggestedBakeSeconds() < 0) {
            notes.add(name + ": a healthy release seldom gathers enough evidence to pass within maxBakeSeconds");
        } else if (step.bakeSeconds() >= 2 * step.suggestedBakeSeconds()
                && step.bakeSeconds() - step.suggestedBakeSeconds()
                        >= 2 * spec.analysis().periodSeconds()) {
            notes.add(name + ": bakes " + step.bakeSeconds() + " s though the evidence is in by "
                    + step.suggestedBakeSeconds()
                    + " s in 90 % of healthy runs: the rest adds time without adding evidence");
        }
        step.outcomes().stream()
                .filter(outcome -> outcome.regression().healthy() && outcome.undecidedShare() > 0.1)
                .forEach(outcome -> notes.add(String.format(
                        Locale.ROOT,
                        "%s: a healthy release ends undecided %.0f %% of the time",
                        name,
                        100 * outcome.undecidedShare())));
        return notes;
    }

    /** The live version's mean requests a period: the denominator of the first deciding RATIO metric (NaN without one). */
    static double meanRequestsPerPeriod(DeploymentSpec spec, TrafficProfile traffic) {
        List<MetricSpec> metrics = spec.analysis().metrics();
        for (int index = 0; index < metrics.size(); index++) {
            if (metrics.get(index).kind() == MetricKind.RATIO
                    && !metrics.get(index).dryRun()) {
                MetricSeries requests = traffic.series(index, "bd");
                return requests.isEmpty() ? 0 : requests.sum() / requests.size();
            }
        }
        return Double.NaN;
    }
}
