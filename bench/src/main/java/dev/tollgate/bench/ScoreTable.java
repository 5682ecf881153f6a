package dev.tollgate.bench;

import dev.tollgate.bench.Outcome.Decision;
import dev.tollgate.bench.oracle.OracleSprt;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Truth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The benchmark's printed report: scores per judge, then what each judge decided per scenario family. Markdown tables. */
final class ScoreTable {

    private ScoreTable() {}

    static String scores(List<Scores> scores) {
        StringBuilder table = new StringBuilder();
        table.append(
                "| judge | false rollbacks | missed regressions | undecided | thin promotions | median periods to detect |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (Scores score : scores) {
            table.append("| ")
                    .append(score.judge())
                    .append(" | ")
                    .append(score.falseRollbacks())
                    .append(" | ")
                    .append(score.missedRegressions())
                    .append(" | ")
                    .append(score.undecided())
                    .append(" | ")
                    .append(score.thinPromotions())
                    .append(" | ")
                    .append(score.medianPeriodsToDetect() == null ? "-" : format(score.medianPeriodsToDetect()))
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
                    .computeIfAbsent(outcome.judge(), key -> new ArrayList<>())
                    .add(outcome);
        }
        StringBuilder table = header(List.of("family", "n"), judges, " R/P/U (median R period)");
        grouped.forEach((family, byJudge) -> {
            int n = byJudge.values().stream().mapToInt(List::size).max().orElse(0);
            table.append("| ").append(family).append(" | ").append(n).append(" |");
            for (String judge : judges) {
                List<Outcome> decided = byJudge.getOrDefault(judge, List.of());
                long rollbacks = decided.stream()
                        .filter(o -> o.decision() == Decision.ROLLBACK)
                        .count();
                long promotions = decided.stream()
                        .filter(o -> o.decision() == Decision.PROMOTE)
                        .count();
                long undecided = decided.stream()
                        .filter(o -> o.decision() == Decision.UNDECIDED)
                        .count();
                String median = median(decided.stream()
                        .filter(o -> o.decision() == Decision.ROLLBACK)
                        .map(o -> (double) o.period())
                        .toList());
                table.append(' ')
                        .append(rollbacks)
                        .append('/')
                        .append(promotions)
                        .append('/')
                        .append(undecided)
                        .append(" (")
                        .append(median)
                        .append(") |");
            }
            table.append('\n');
        });
        return table.toString();
    }

    /** The family of good releases just inside the tolerance, on which an honest judge must not roll back either. */
    static final String JUST_INSIDE = "just-inside";
    /** The most false rollbacks an honest reference judge may have, on good releases and on those just inside. */
    static final double HONEST_FALSE_ROLLBACKS = 0.05;

    /**
     * Per judge: false rollbacks on the releases just inside the tolerance, good releases left
     * undecided at the bake budget, and whether the judge is honest (at most 5 % false rollbacks on
     * all good releases and on those just inside).
     */
    static String honesty(List<Scores> scores, List<Outcome> outcomes, Map<String, Scenario> scenarios) {
        StringBuilder table = new StringBuilder(
                "| judge | false rollbacks, all good releases | false rollbacks, just inside the tolerance "
                        + "| good releases undecided | honest (both <= 5 %) |\n|---|---|---|---|---|\n");
        for (Scores score : scores) {
            Scores.Share justInside = share(
                    score.judge(),
                    outcomes,
                    scenarios,
                    scenario -> scenario.family().equals(JUST_INSIDE) && scenario.truth() == Truth.NO_REGRESSION,
                    Decision.ROLLBACK);
            Scores.Share undecided = share(
                    score.judge(),
                    outcomes,
                    scenarios,
                    scenario -> scenario.truth() == Truth.NO_REGRESSION,
                    Decision.UNDECIDED);
            table.append("| ")
                    .append(score.judge())
                    .append(" | ")
                    .append(score.falseRollbacks())
                    .append(" | ")
                    .append(justInside)
                    .append(" | ")
                    .append(undecided)
                    .append(" | ")
                    .append(honest(score, justInside) ? "yes" : "no")
                    .append(" |\n");
        }
        return table.toString();
    }

    /** Of the judge's outcomes on scenarios that {@code counted} accepts, how many were {@code decision}. */
    static Scores.Share share(
            String judge,
            List<Outcome> outcomes,
            Map<String, Scenario> scenarios,
            Predicate<Scenario> counted,
            Decision decision) {
        int total = 0;
        int matching = 0;
        for (Outcome outcome : outcomes) {
            if (outcome.judge().equals(judge) && counted.test(scenarios.get(outcome.scenario()))) {
                total++;
                matching += outcome.decision() == decision ? 1 : 0;
            }
        }
        return new Scores.Share(matching, total);
    }

    static boolean honest(Scores score, Scores.Share justInside) {
        return !(score.falseRollbacks().fraction() > HONEST_FALSE_ROLLBACKS)
                && !(justInside.fraction() > HONEST_FALSE_ROLLBACKS);
    }

    /**
     * Per regression family: the oracle's median periods to detect (its floor) beside each judge's,
     * a regression not rolled back within the budget counting as never (so a judge that misses half
     * a family has a median of "never"), and the share each judge promotes.
     */
    static String floor(List<String> judges, List<Outcome> outcomes, Map<String, Scenario> scenarios) {
        Map<String, List<Scenario>> families = new TreeMap<>();
        scenarios.values().stream()
                .filter(scenario -> scenario.truth() == Truth.REGRESSION)
                .forEach(scenario -> families.computeIfAbsent(scenario.family(), key -> new ArrayList<>())
                        .add(scenario));
        StringBuilder table = header(List.of("family", "n", "oracle floor"), judges, " (promoted)");
        families.forEach((family, members) -> {
            List<Double> oracle = new ArrayList<>();
            for (Scenario scenario : members) {
                OptionalInt period = OracleSprt.detectionPeriod(scenario);
                oracle.add(period.isPresent() ? period.getAsInt() : Double.POSITIVE_INFINITY);
            }
            table.append("| ")
                    .append(family)
                    .append(" | ")
                    .append(members.size())
                    .append(" | ")
                    .append(median(oracle))
                    .append(" |");
            for (String judge : judges) {
                List<Double> detections = new ArrayList<>();
                int promoted = 0;
                for (Outcome outcome : outcomes) {
                    Scenario scenario = scenarios.get(outcome.scenario());
                    if (outcome.judge().equals(judge)
                            && scenario.truth() == Truth.REGRESSION
                            && scenario.family().equals(family)) {
                        detections.add(
                                outcome.decision() == Decision.ROLLBACK ? outcome.period() : Double.POSITIVE_INFINITY);
                        promoted += outcome.decision() == Decision.PROMOTE ? 1 : 0;
                    }
                }
                table.append(' ')
                        .append(median(detections))
                        .append(" (")
                        .append(promoted)
                        .append(") |");
            }
            table.append('\n');
        });
        return table.toString();
    }

    /** A table's header and rule: the leading columns, then a column per judge named with {@code suffix}. */
    private static StringBuilder header(List<String> leading, List<String> judges, String suffix) {
        StringBuilder table = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (String column : leading) {
            table.append(' ').append(column).append(" |");
            rule.append("---|");
        }
        for (String judge : judges) {
            table.append(' ').append(judge).append(suffix).append(" |");
            rule.append("---|");
        }
        return table.append('\n').append(rule).append('\n');
    }

    /** The median, "never" when more than half never happened, "-" of nothing. */
    static String median(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return Double.isInfinite(median) ? "never" : format(median);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
