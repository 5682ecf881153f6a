package dev.tollgate.cli.report;

import dev.tollgate.deployment.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one page tells about a deployment: how it ended, the states it went through, per step
 * the canary and baseline series of every metric with the bake window and every decision taken on
 * it (verdict, checks, numbers, reason), the migrations applied and the secret versions pinned (ids
 * only). Built by {@link RolloutReports}, drawn by {@link ReportPage}.
 */
public record RolloutReport(
        String deploymentId,
        String service,
        String status,
        String reason,
        String executionArn,
        Instant startedAt,
        Instant finishedAt,
        int periodSeconds,
        List<StateSpan> states,
        List<TimelineEntry> timeline,
        List<Step> steps,
        Migrations migrations,
        List<SecretPin> secrets,
        Instant generatedAt) {

    public RolloutReport {
        states = List.copyOf(states);
        timeline = List.copyOf(timeline);
        steps = List.copyOf(steps);
        secrets = List.copyOf(secrets);
    }

    /** One state of the execution: when it was entered and left (never left: the execution ended there or runs). */
    public record StateSpan(String name, Instant entered, Instant exited, String failure) {}

    /** One traffic step: its weight, when it started, how long it had to bake, when it ended, what was seen and decided. */
    public record Step(
            int stepIndex,
            int canaryWeight,
            Instant startedAt,
            int bakeSeconds,
            Instant endedAt,
            List<Chart> charts,
            List<DecisionPoint> decisions) {
        public Step {
            charts = List.copyOf(charts);
            decisions = List.copyOf(decisions);
        }
    }

    /** A metric's canary and baseline series over a step, per analysis period ({@code unit}: "%" for rates). */
    public record Chart(String metric, String unit, List<Point> canary, List<Point> baseline) {
        public Chart {
            canary = List.copyOf(canary);
            baseline = List.copyOf(baseline);
        }
    }

    public record Point(Instant at, double value) {}

    /** One analysis tick: the verdict with its checks and the decision taken on it. */
    public record DecisionPoint(
            Instant at, String verdict, String action, String decidedBy, String reason, List<Check> checks) {
        public DecisionPoint {
            checks = List.copyOf(checks);
        }
    }

    /** One check of a tick; a {@code dryRun} check took no part in the verdict and is drawn apart. */
    public record Check(String name, String verdict, String reason, Map<String, Double> numbers, boolean dryRun) {
        public Check {
            numbers = Map.copyOf(numbers);
        }
    }

    /** What RunMigrations did: its mode, its summary, the scripts applied and, in a dry run, the scripts it would apply. */
    public record Migrations(String mode, String summary, List<String> applied, List<String> pending) {
        public static final Migrations NONE = new Migrations("NONE", "no migrations", List.of());

        public Migrations {
            applied = List.copyOf(applied);
            pending = List.copyOf(pending);
        }

        public Migrations(String mode, String summary, List<String> applied) {
            this(mode, summary, applied, List.of());
        }
    }

    /** A secret the release uses and the version pinned for it: ids, never a value. */
    public record SecretPin(String id, String versionId) {}
}
