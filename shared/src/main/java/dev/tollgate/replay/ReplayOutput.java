package dev.tollgate.replay;

import dev.tollgate.json.Json;
import dev.tollgate.judge.Verdict;
import dev.tollgate.ops.TickOutputs;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A replay told as the demo tells a rollout (a verdict with every check, then the decision), and a summary table; its report page is the CLI's. */
public final class ReplayOutput {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String INDENT = "          ";

    private ReplayOutput() {}

    /** A block of lines per tick: when, the step, the verdict with every check and its numbers, the decision and, when recorded, whether it agrees. */
    public static List<String> ticks(Replay replay) {
        List<String> lines = new ArrayList<>();
        for (ReplayedTick replayed : replay.ticks()) {
            ReplayTick tick = replayed.tick();
            String verdict = TickOutputs.describeVerdict(Json.tree(Json.write(replayed.verdict())), INDENT + "  ");
            lines.add(TIME.format(tick.at()) + "  step " + (tick.progress().stepIndex() + 1) + "/"
                    + replay.spec().steps().size() + " at " + tick.progress().canaryWeight() + " %: " + verdict);
            lines.add(INDENT + "decision: " + replayed.decision().action() + " ("
                    + replayed.decision().reason() + ")");
            if (tick.recorded().isPresent()) {
                lines.add(INDENT + comparison(replayed));
            }
        }
        return lines;
    }

    /** How a replayed tick compares with the recorded one: agrees, differs, or read other data. */
    public static String comparison(ReplayedTick replayed) {
        if (replayed.agrees()) {
            return "agrees with the recorded tick";
        }
        String differs = "DIFFERS from the recorded tick: " + String.join("; ", replayed.differences());
        return replayed.disagrees()
                ? differs
                : differs + "; but it read other data, so this is no disagreement: "
                        + String.join("; ", replayed.dataChanges())
                        + " (data CloudWatch received after the tick read it)";
    }

    /** One row per step: its weight, ticks, verdicts, the last decision today and then, and the ticks that agree. */
    public static List<String> summary(Replay replay) {
        List<String> lines = new ArrayList<>();
        String format = "%-5s %-7s %-6s %-14s %-15s %-15s %s";
        lines.add(String.format(
                Locale.ROOT,
                format,
                "step",
                "weight",
                "ticks",
                "pass/fail/und.",
                "decision now",
                replay.recorded() ? "decision then" : "",
                replay.recorded() ? "agree" : ""));
        Map<Integer, List<ReplayedTick>> byStep = new LinkedHashMap<>();
        replay.ticks()
                .forEach(tick -> byStep.computeIfAbsent(tick.tick().progress().stepIndex(), step -> new ArrayList<>())
                        .add(tick));
        byStep.forEach((stepIndex, ticks) -> {
            ReplayedTick last = ticks.get(ticks.size() - 1);
            long pass = ticks.stream()
                    .filter(tick -> tick.verdict().verdict() == Verdict.PASS)
                    .count();
            long fail = ticks.stream()
                    .filter(tick -> tick.verdict().verdict() == Verdict.FAIL)
                    .count();
            long agree = ticks.stream().filter(ReplayedTick::agrees).count();
            lines.add(String.format(
                    Locale.ROOT,
                    format,
                    (stepIndex + 1) + "/" + replay.spec().steps().size(),
                    last.tick().progress().canaryWeight() + " %",
                    ticks.size(),
                    pass + "/" + fail + "/" + (ticks.size() - pass - fail),
                    last.decision().action(),
                    last.tick().recorded().map(RecordedTick::action).orElse(""),
                    replay.recorded() ? agree + "/" + ticks.size() : ""));
        });
        lines.add(conclusion(replay));
        return lines;
    }

    /** The last line: the outcome, and for a recorded deployment whether today's judge agrees at every tick. */
    public static String conclusion(Replay replay) {
        if (Replay.NO_DATA.equals(replay.outcome())) {
            return "outcome: NO_DATA: the canary had not a single data point in any metric of the spec in the window ("
                    + replay.from() + " to " + replay.to()
                    + "); check the dimensions and the window. Silence is never a PASS.";
        }
        String outcome = "outcome: " + replay.outcome()
                + (Replay.UNDECIDED.equals(replay.outcome()) ? " (the window ended before the judge decided)" : "");
        if (!replay.recorded()) {
            return outcome;
        }
        long compared = replay.ticks().stream()
                        .filter(tick -> tick.tick().recorded().isPresent())
                        .count()
                - replay.readOtherData();
        String otherData = replay.readOtherData() == 0
                ? ""
                : "; " + replay.readOtherData() + " more decided otherwise on data"
                        + " CloudWatch received after they read it, and cannot be compared";
        return outcome + "; "
                + (replay.disagreements() == 0
                        ? "today's judge agrees with all " + compared + " recorded ticks that read the data it reads"
                        : "today's judge DISAGREES at " + replay.disagreements() + " of " + compared
                                + " recorded ticks")
                + otherData;
    }
}
