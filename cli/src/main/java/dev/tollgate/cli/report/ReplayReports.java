package dev.tollgate.cli.report;

import dev.tollgate.cli.report.RolloutReport.Check;
import dev.tollgate.cli.report.RolloutReport.DecisionPoint;
import dev.tollgate.cli.report.RolloutReport.Step;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.replay.Replay;
import dev.tollgate.replay.ReplayOutput;
import dev.tollgate.replay.ReplayedTick;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A replay as a rollout report page ({@code tollgate replay --report}), in the style of a deployment's. */
public final class ReplayReports {

    private ReplayReports() {}

    /** The replay as a rollout report: per step the charts the judge read and every replayed decision with its checks. */
    public static RolloutReport of(Replay replay, MetricSource metrics, Instant generatedAt) {
        Map<Integer, List<ReplayedTick>> byStep = new LinkedHashMap<>();
        replay.ticks()
                .forEach(tick -> byStep.computeIfAbsent(tick.tick().progress().stepIndex(), step -> new ArrayList<>())
                        .add(tick));
        List<Step> steps = new ArrayList<>();
        byStep.forEach((stepIndex, ticks) -> {
            Instant startedAt = ticks.get(0).tick().progress().stepStartedAt();
            Instant endedAt = ticks.get(ticks.size() - 1).tick().at();
            List<DecisionPoint> decisions =
                    ticks.stream().map(ReplayReports::decisionPoint).toList();
            steps.add(new Step(
                    stepIndex,
                    ticks.get(0).tick().progress().canaryWeight(),
                    startedAt,
                    replay.spec().step(stepIndex).bakeSeconds(),
                    endedAt,
                    RolloutReports.charts(metrics, replay.spec(), startedAt, endedAt),
                    decisions));
        });
        String status = Replay.NO_DATA.equals(replay.outcome())
                ? Replay.NO_DATA
                : replay.recorded() ? (replay.disagreements() == 0 ? "AGREES" : "DISAGREES") : replay.outcome();
        return new RolloutReport(
                "replay of " + replay.subject(),
                replay.spec().service(),
                status,
                ReplayOutput.conclusion(replay),
                null,
                replay.from(),
                replay.to(),
                replay.spec().analysis().periodSeconds(),
                List.of(),
                List.of(),
                steps,
                RolloutReport.Migrations.NONE,
                List.of(),
                generatedAt);
    }

    private static DecisionPoint decisionPoint(ReplayedTick tick) {
        List<Check> checks = tick.verdict().checks().stream()
                .map(check -> new Check(
                        check.name(), check.verdict().name(), check.reason(), finite(check.numbers()), check.dryRun()))
                .toList();
        String reason = tick.decision().reason() + (tick.agrees() ? "" : " [" + ReplayOutput.comparison(tick) + "]");
        return new DecisionPoint(
                tick.tick().at(),
                tick.verdict().verdict().name(),
                tick.decision().action().name(),
                "today's judge",
                reason,
                checks);
    }

    private static Map<String, Double> finite(Map<String, Double> numbers) {
        Map<String, Double> finite = new LinkedHashMap<>();
        numbers.forEach((name, value) -> {
            if (value != null && Double.isFinite(value)) {
                finite.put(name, value);
            }
        });
        return finite;
    }
}
