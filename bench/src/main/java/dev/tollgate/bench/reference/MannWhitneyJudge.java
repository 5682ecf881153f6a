package dev.tollgate.bench.reference;

import dev.tollgate.bench.ScenarioJudge;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Side;
import dev.tollgate.judge.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A fixed-horizon judge in Kayenta's manner (its MannWhitneyClassifier with default settings):
 * for each metric, the per-period canary and baseline values are compared with a two-sided
 * Mann-Whitney confidence interval for the shift at 98 %; a metric is "high" when the interval lies
 * above zero and the ratio of means exceeds 1 + tolerance. Any high metric fails the step; the
 * test is simply rerun at every look, as a canary analysis run at every interval would.
 */
public final class MannWhitneyJudge implements ScenarioJudge {

    static final double CONFIDENCE = 0.98;
    /** Kayenta does not classify a metric with fewer values than this on a side. */
    static final int MIN_VALUES = 3;

    private static final Map<Long, double[]> NULL_DISTRIBUTIONS = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "mann-whitney";
    }

    @Override
    public Verdict judge(Scenario scenario, int periodsSeen) {
        if (high(
                        values(scenario, periodsSeen, Scenario.Period::canary, MannWhitneyJudge::errorRate),
                        values(scenario, periodsSeen, Scenario.Period::baseline, MannWhitneyJudge::errorRate),
                        scenario.tolerance().errorRate())
                || high(
                        values(scenario, periodsSeen, Scenario.Period::canary, Side::p95),
                        values(scenario, periodsSeen, Scenario.Period::baseline, Side::p95),
                        scenario.tolerance().p95())
                || high(
                        values(scenario, periodsSeen, Scenario.Period::canary, Side::p99),
                        values(scenario, periodsSeen, Scenario.Period::baseline, Side::p99),
                        scenario.tolerance().p99())) {
            return Verdict.FAIL;
        }
        return Verdict.PASS;
    }

    static boolean high(double[] canary, double[] baseline, double tolerance) {
        if (canary.length < MIN_VALUES || baseline.length < MIN_VALUES) {
            return false;
        }
        double lowerShift = lowerConfidenceBound(canary, baseline, 1 - CONFIDENCE);
        double baselineMean = Arrays.stream(baseline).average().orElse(Double.NaN);
        double canaryMean = Arrays.stream(canary).average().orElse(Double.NaN);
        double effect = baselineMean > 0 ? canaryMean / baselineMean : (canaryMean > 0 ? Double.POSITIVE_INFINITY : 1);
        return lowerShift > 0 && effect > 1 + tolerance;
    }

    /**
     * The lower end of the distribution-free two-sided confidence interval for the shift
     * canary − baseline: the (c+1)-th smallest pairwise difference, c being the largest count with
     * P(U &lt;= c) &lt;= (1 − confidence)/2 under the exact null distribution of U.
     */
    static double lowerConfidenceBound(double[] canary, double[] baseline, double twoSidedAlpha) {
        int m = canary.length;
        int n = baseline.length;
        double[] cumulative = nullCumulative(m, n);
        int c = -1;
        while (c + 1 < cumulative.length && cumulative[c + 1] <= twoSidedAlpha / 2) {
            c++;
        }
        if (c < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] differences = new double[m * n];
        int index = 0;
        for (double x : canary) {
            for (double y : baseline) {
                differences[index++] = x - y;
            }
        }
        Arrays.sort(differences);
        return differences[c];
    }

    /** P(U &lt;= u) for u = 0..mn, from the recurrence on the number of arrangements. */
    private static double[] nullCumulative(int m, int n) {
        return NULL_DISTRIBUTIONS.computeIfAbsent(((long) m << 32) | n, key -> {
            // ways[i][j][u] for i canary and j baseline values; rolled over i to keep memory small.
            double[][] previous = new double[n + 1][];
            for (int j = 0; j <= n; j++) {
                previous[j] = new double[] {1};
            }
            for (int i = 1; i <= m; i++) {
                double[][] current = new double[n + 1][];
                current[0] = new double[] {1};
                for (int j = 1; j <= n; j++) {
                    double[] ways = new double[i * j + 1];
                    double[] withoutBaseline = current[j - 1];
                    double[] withoutCanary = previous[j];
                    for (int u = 0; u < withoutBaseline.length; u++) {
                        ways[u] += withoutBaseline[u];
                    }
                    for (int u = 0; u < withoutCanary.length; u++) {
                        ways[u + j] += withoutCanary[u];
                    }
                    current[j] = ways;
                }
                previous = current;
            }
            double[] ways = previous[n];
            double total = Arrays.stream(ways).sum();
            double[] cumulative = new double[ways.length];
            double running = 0;
            for (int u = 0; u < ways.length; u++) {
                running += ways[u];
                cumulative[u] = running / total;
            }
            return cumulative;
        });
    }

    private static Double errorRate(Side side) {
        if (side.requests() == null || side.errors() == null || side.requests() <= 0) {
            return null;
        }
        return side.errors() / side.requests();
    }

    private static double[] values(
            Scenario scenario, int periodsSeen, Function<Scenario.Period, Side> sideOf, Function<Side, Double> field) {
        List<Double> values = new ArrayList<>();
        for (int k = 0; k < periodsSeen; k++) {
            Side side = sideOf.apply(scenario.periods().get(k));
            Double value = side == null ? null : field.apply(side);
            if (value != null && Double.isFinite(value)) {
                values.add(value);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
