package dev.tollgate.bench;

import dev.tollgate.bench.Outcome.Decision;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Truth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A judge's scores over a set of scenarios (judge-scenarios/FORMAT.md): false rollbacks, missed
 * regressions, undecided, thin promotions and the median periods to detect a regression. Each
 * share keeps its count and denominator so small sets are not over-read.
 */
public record Scores(
        String judge,
        Share falseRollbacks,
        Share missedRegressions,
        Share undecided,
        Share thinPromotions,
        Double medianPeriodsToDetect) {

    /** {@code count} of {@code total}; empty when nothing was eligible. */
    public record Share(int count, int total) {

        public double fraction() {
            return total == 0 ? Double.NaN : count / (double) total;
        }

        @Override
        public String toString() {
            return total == 0
                    ? "-"
                    : String.format(java.util.Locale.ROOT, "%.1f%% (%d/%d)", 100 * fraction(), count, total);
        }
    }

    public static Scores of(String judge, Collection<Outcome> outcomes, Map<String, Scenario> scenarios) {
        int good = 0;
        int falseRollbacks = 0;
        int regressions = 0;
        int missed = 0;
        int decidable = 0;
        int undecided = 0;
        int thin = 0;
        int thinPromoted = 0;
        List<Integer> detections = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            Truth truth = scenarios.get(outcome.scenario()).truth();
            if (truth == Truth.INSUFFICIENT_TRAFFIC) {
                thin++;
                thinPromoted += outcome.decision() == Decision.PROMOTE ? 1 : 0;
                continue;
            }
            decidable++;
            undecided += outcome.decision() == Decision.UNDECIDED ? 1 : 0;
            if (truth == Truth.NO_REGRESSION) {
                good++;
                falseRollbacks += outcome.decision() == Decision.ROLLBACK ? 1 : 0;
            } else {
                regressions++;
                missed += outcome.decision() == Decision.PROMOTE ? 1 : 0;
                if (outcome.decision() == Decision.ROLLBACK) {
                    detections.add(outcome.period());
                }
            }
        }
        return new Scores(
                judge,
                new Share(falseRollbacks, good),
                new Share(missed, regressions),
                new Share(undecided, decidable),
                new Share(thinPromoted, thin),
                median(detections));
    }

    private static Double median(List<Integer> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Integer> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
