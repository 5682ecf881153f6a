package dev.tollgate.bench;

import dev.tollgate.bench.Outcome.Decision;
import dev.tollgate.bench.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The benchmark's printed report: scores per judge, then what each judge decided per scenario family. Markdown tables. */
final class ScoreTable {

    private ScoreTable() {
    }

    static String scores(List<Scores> scores) {
        StringBuilder table = new StringBuilder();
        table.append("| judge | false rollbacks | missed regressions | undecided | thin promotions | median periods to detect |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (Scores score : scores) {
            table.append("| ").append(score.judge())
                    .append(" | ").append(score.falseRollbacks())
                    .append(" | ").append(score.missedRegressions())
                    .append(" | ").append(score.undecided())
                    .append(" | ").append(score.thinPromotions())
                    .append(" | ").append(score.medianPeriodsToDetect() == null ? "-" : format(score.medianPeriodsToDetect()))
                    .append(" |\n");
        }
        return table.toString();
    }

    /** Per family and judge: rollbacks / promotions / undecided, and the median period of the rollbacks. */
    static String byFamily(List<String> judges, List<Outcome> outcomes, Map<String, Scenario> scenarios) {
        Map<String, Map<String, List<Outcome>>> grouped = new TreeMap<>();
        for (Outcome outcome : outcomes) {
            Scenario scenario = scenarios.get(outcome.scenario());
            String family = scenario.family() + " (" + scenario.truth() + ")";
            grouped.computeIfAbsent(family, key -> new TreeMap<>())
                    .computeIfAbsent(outcome.judge(), key -> new ArrayList<>()).add(outcome);
        }
        StringBuilder table = new StringBuilder("| family | n |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String judge : judges) {
            table.append(' ').append(judge).append(" R/P/U (median R period) |");
            rule.append("---|");
        }
        table.append('\n').append(rule).append('\n');
        grouped.forEach((family, byJudge) -> {
            int n = byJudge.values().stream().mapToInt(List::size).max().orElse(0);
            table.append("| ").append(family).append(" | ").append(n).append(" |");
            for (String judge : judges) {
                List<Outcome> decided = byJudge.getOrDefault(judge, List.of());
                long rollbacks = decided.stream().filter(o -> o.decision() == Decision.ROLLBACK).count();
                long promotions = decided.stream().filter(o -> o.decision() == Decision.PROMOTE).count();
                long undecided = decided.stream().filter(o -> o.decision() == Decision.UNDECIDED).count();
                List<Integer> periods = decided.stream().filter(o -> o.decision() == Decision.ROLLBACK)
                        .map(Outcome::period).sorted().toList();
                String median = periods.isEmpty() ? "-" : format(periods.size() % 2 == 1 ? periods.get(periods.size() / 2)
                        : (periods.get(periods.size() / 2 - 1) + periods.get(periods.size() / 2)) / 2.0);
                table.append(' ').append(rollbacks).append('/').append(promotions).append('/').append(undecided)
                        .append(" (").append(median).append(") |");
            }
            table.append('\n');
        });
        return table.toString();
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
