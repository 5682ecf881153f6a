package dev.tollgate.plan;

import dev.tollgate.plan.Plan.Outcomes;
import dev.tollgate.plan.Plan.StepPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** A plan as an operator reads it: per step its traffic and how each simulated release fared, the suggested schedule, the notes. */
public final class PlanOutput {

    private PlanOutput() {}

    public static List<String> lines(Plan plan, OptionalInt targetMinutes) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "measured: %d periods of %d s, %.0f requests a period on the live version;"
                        + " %d simulated steps per release and step",
                plan.measuredPeriods(),
                plan.periodSeconds(),
                plan.requestsPerPeriod(),
                plan.runs()));
        for (StepPlan step : plan.steps()) {
            lines.add("");
            lines.add(String.format(
                    Locale.ROOT,
                    "step %d at %d %%: %.0f canary requests a period; minRequests %d %s" + " (bake %d s, max %d s)",
                    step.stepIndex() + 1,
                    step.weight(),
                    step.canaryRequestsPerPeriod(),
                    step.minRequests(),
                    step.minRequestsReachable()
                            ? String.format(Locale.ROOT, "reached in about %.0f periods", step.periodsToMinRequests())
                            : "NOT reachable within maxBakeSeconds",
                    step.bakeSeconds(),
                    step.maxBakeSeconds()));
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-14s %6s %6s %10s %16s %16s",
                    "release",
                    "pass",
                    "fail",
                    "undecided",
                    "periods to PASS",
                    "periods to FAIL"));
            for (Outcomes outcome : step.outcomes()) {
                lines.add(String.format(
                        Locale.ROOT,
                        "  %-14s %5.0f%% %5.0f%% %9.0f%% %16s %16s",
                        outcome.regression().name(),
                        100 * outcome.passShare(),
                        100 * outcome.failShare(),
                        100 * outcome.undecidedShare(),
                        periods(outcome.meanPeriodsToPass()),
                        periods(outcome.meanPeriodsToFail())));
            }
        }
        lines.add("");
        lines.add(schedule(plan, targetMinutes));
        plan.notes().forEach(note -> lines.add("note: " + note));
        return lines;
    }

    /** The spec's weights with the bake each step's evidence needs, and how long a healthy release then takes. */
    static String schedule(Plan plan, OptionalInt targetMinutes) {
        StringBuilder schedule = new StringBuilder("suggested schedule: ");
        long total = 0;
        boolean known = true;
        for (StepPlan step : plan.steps()) {
            known &= step.suggestedBakeSeconds() > 0;
            int bake = step.suggestedBakeSeconds() > 0 ? step.suggestedBakeSeconds() : step.maxBakeSeconds();
            total += bake;
            schedule.append(step.weight())
                    .append(" % for ")
                    .append(bake)
                    .append(" s")
                    .append(step.suggestedBakeSeconds() > 0 ? "" : " (max)")
                    .append(" -> ");
        }
        schedule.append("100 %: a healthy release decides in about ")
                .append(Math.round(total / 60.0))
                .append(" min")
                .append(known ? "" : " at most");
        if (targetMinutes.isPresent()) {
            schedule.append(
                            total <= targetMinutes.getAsInt() * 60L
                                    ? ", within the target of "
                                    : ", OVER the target of ")
                    .append(targetMinutes.getAsInt())
                    .append(" min");
            if (total > targetMinutes.getAsInt() * 60L) {
                StepPlan slowest = plan.steps().stream()
                        .max((a, b) -> Integer.compare(a.suggestedBakeSeconds(), b.suggestedBakeSeconds()))
                        .orElseThrow();
                schedule.append(" (the slowest to gather evidence is step ")
                        .append(slowest.stepIndex() + 1)
                        .append(" at ")
                        .append(slowest.weight())
                        .append(" %: a higher weight there gathers it faster)");
            }
        }
        return schedule.toString();
    }

    private static String periods(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }
}
