package dev.tollgate.judge;

import dev.tollgate.judge.CheckVerdict.CheckKind;
import dev.tollgate.spec.AnalysisSpec;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.MetricKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Tollgate's judge (DESIGN section 5, docs/judge.md): sequential tests that stay valid however often
 * they are looked at, so the step is re-judged every period from all its data, rolls back as soon
 * as the evidence of a regression reaches 1/falsePositiveRate, and passes only on evidence that
 * rules a regression out, never on silence.
 *
 * <ul>
 *   <li>RATIO metrics: {@link RatioCheck} (conditional binomial mixture likelihood ratio, per period).</li>
 *   <li>STATISTIC metrics: {@link StatisticCheck} (sequential sign tests on paired periods).</li>
 *   <li>SLO: {@link BurnRateCheck} on the canary counts of the metric the SLO names ({@code analysis.slo.metric}).</li>
 *   <li>Alarms: ALARM fails, OK passes, anything else is inconclusive.</li>
 * </ul>
 *
 * <p>A critical metric fails the step at the first look its evidence crosses. A non-critical
 * metric's crossing must hold at two consecutive looks (this period's data and the step's data
 * without it) before it fails the step; until then the check reads INCONCLUSIVE. The confirmation
 * cannot raise the false-rollback rate, only trade one period of speed for protection against a
 * single freak period. SLO burn and alarms are always critical.
 *
 * <p>The step passes only when every check passes and the canary's requests in periods compared
 * with the baseline reach the step's {@code minRequests}; with no RATIO metric there is no request
 * count, so the minimum sample is never reached and the step cannot pass on its own.
 */
public final class SequentialJudge implements Judge {

    @Override
    public StepVerdict judge(StepEvidence evidence) {
        AnalysisSpec analysis = evidence.analysis();
        double alpha = analysis.falsePositiveRate();
        long minRequests = evidence.step().minRequests();
        // How many periods the step may bake: what the error-rate check's gross boundary must be reachable within.
        double budgetPeriods =
                Math.max(evidence.step().bakeSeconds(), evidence.step().maxBakeSeconds())
                        / (double) analysis.periodSeconds();
        List<CheckVerdict> checks = new ArrayList<>();
        boolean anyRatio = false;
        double fewestCanaryRequests = Double.POSITIVE_INFINITY;
        for (MetricObservations observations : evidence.metrics()) {
            checks.add(judgeMetric(
                    observations, companion(observations, evidence.metrics()), alpha, minRequests, budgetPeriods));
            if (observations.metric().kind() == MetricKind.RATIO) {
                anyRatio = true;
                fewestCanaryRequests = Math.min(fewestCanaryRequests, RatioCheck.canaryRequestsCompared(observations));
            }
        }
        boolean minimumSampleReached = anyRatio && fewestCanaryRequests >= minRequests;
        if (analysis.slo() != null) {
            // The spec names the metric the SLO is measured on (the error-budget check reads the same one).
            Optional<MetricObservations> errorRate = evidence.metrics().stream()
                    .filter(observations ->
                            observations.metric().name().equals(analysis.slo().metric()))
                    .findFirst();
            checks.add(
                    errorRate.isPresent()
                            ? BurnRateCheck.judge(analysis.slo(), analysis.periodSeconds(), errorRate.get(), alpha)
                            : new CheckVerdict(
                                    BurnRateCheck.NAME,
                                    CheckKind.SLO,
                                    Verdict.INCONCLUSIVE,
                                    "no observations of " + analysis.slo().metric()
                                            + ", the metric the SLO is measured on",
                                    Map.of()));
        }
        for (String alarm : analysis.alarms()) {
            checks.add(judgeAlarm(alarm, evidence.alarms().getOrDefault(alarm, AlarmState.MISSING)));
        }
        String sample = anyRatio
                ? minimumSampleReached
                        ? Formats.count(fewestCanaryRequests) + " canary requests compared (minimum " + minRequests
                                + ")"
                        : Formats.count(fewestCanaryRequests) + " of " + minRequests + " canary requests compared"
                : "no RATIO metric counts the canary's requests";
        return overall(checks, minimumSampleReached, sample, evidence.now());
    }

    private static CheckVerdict judgeMetric(
            MetricObservations observations,
            MetricObservations companion,
            double alpha,
            long minRequests,
            double budgetPeriods) {
        CheckVerdict verdict = judgeOnce(observations, companion, alpha, minRequests, budgetPeriods);
        MetricSpec metric = observations.metric();
        if (verdict.verdict() != Verdict.FAIL || metric.critical()) {
            return verdict;
        }
        Instant latest = PairedPeriods.latestPeriod(observations);
        CheckVerdict previousLook = judgeOnce(
                PairedPeriods.before(observations, latest),
                companion == null ? null : PairedPeriods.before(companion, latest),
                alpha,
                minRequests,
                budgetPeriods);
        if (previousLook.verdict() == Verdict.FAIL) {
            return new CheckVerdict(
                    verdict.name(),
                    verdict.kind(),
                    Verdict.FAIL,
                    verdict.reason() + " (confirmed at two consecutive looks)",
                    verdict.numbers());
        }
        return new CheckVerdict(
                verdict.name(),
                verdict.kind(),
                Verdict.INCONCLUSIVE,
                "unconfirmed " + verdict.reason()
                        + "; a non-critical metric fails once this holds at the next look too",
                verdict.numbers());
    }

    private static CheckVerdict judgeOnce(
            MetricObservations observations,
            MetricObservations companion,
            double alpha,
            long minRequests,
            double budgetPeriods) {
        return observations.metric().kind() == MetricKind.RATIO
                ? RatioCheck.judge(observations, alpha, minRequests, budgetPeriods)
                : StatisticCheck.judge(observations, companion, alpha);
    }

    /**
     * Another percentile of the same latency read for the same canary and baseline (the p99 beside
     * a p95; of several, the level nearest this one, whose pairing shows the tail's slope where this one reads it), or null: together they show the tail's
     * spread, which bounds each one's sampling noise better than a spread assumed in advance.
     */
    static MetricObservations companion(MetricObservations observations, List<MetricObservations> all) {
        MetricSpec metric = observations.metric();
        double level = PercentileShape.level(metric.stat());
        if (metric.kind() != MetricKind.STATISTIC || Double.isNaN(level)) {
            return null;
        }
        MetricObservations best = null;
        double nearest = Double.POSITIVE_INFINITY;
        for (MetricObservations other : all) {
            MetricSpec candidate = other.metric();
            double otherLevel = PercentileShape.level(candidate.stat());
            boolean sameLatency = candidate.kind() == MetricKind.STATISTIC
                    && !Double.isNaN(otherLevel)
                    && Objects.equals(candidate.namespace(), metric.namespace())
                    && Objects.equals(candidate.metric(), metric.metric())
                    && candidate.canaryDimensions().equals(metric.canaryDimensions())
                    && candidate.baselineDimensions().equals(metric.baselineDimensions());
            double distance = Math.abs(otherLevel - level);
            if (sameLatency && distance > 0 && distance < nearest) {
                nearest = distance;
                best = other;
            }
        }
        return best;
    }

    private static CheckVerdict judgeAlarm(String alarm, AlarmState state) {
        Map<String, Double> numbers = Map.of();
        switch (state) {
            case OK:
                return new CheckVerdict(alarm, CheckKind.ALARM, Verdict.PASS, "alarm OK", numbers);
            case ALARM:
                return new CheckVerdict(alarm, CheckKind.ALARM, Verdict.FAIL, "alarm in ALARM", numbers);
            case INSUFFICIENT_DATA:
                return new CheckVerdict(
                        alarm, CheckKind.ALARM, Verdict.INCONCLUSIVE, "alarm has INSUFFICIENT_DATA", numbers);
            default:
                return new CheckVerdict(
                        alarm,
                        CheckKind.ALARM,
                        Verdict.INCONCLUSIVE,
                        "no alarm with this name in this account and region",
                        numbers);
        }
    }

    private static StepVerdict overall(
            List<CheckVerdict> checks, boolean minimumSampleReached, String sample, Instant now) {
        List<CheckVerdict> failed =
                checks.stream().filter(check -> check.verdict() == Verdict.FAIL).toList();
        if (!failed.isEmpty()) {
            return new StepVerdict(Verdict.FAIL, reasons(failed), checks, minimumSampleReached, now);
        }
        List<CheckVerdict> undecided =
                checks.stream().filter(check -> check.verdict() != Verdict.PASS).toList();
        if (!minimumSampleReached) {
            String reason =
                    "minimum sample not reached: " + sample + (undecided.isEmpty() ? "" : "; " + reasons(undecided));
            return new StepVerdict(Verdict.INCONCLUSIVE, reason, checks, false, now);
        }
        if (!undecided.isEmpty()) {
            return new StepVerdict(Verdict.INCONCLUSIVE, reasons(undecided), checks, true, now);
        }
        return new StepVerdict(Verdict.PASS, "all " + checks.size() + " checks pass, " + sample, checks, true, now);
    }

    private static String reasons(List<CheckVerdict> checks) {
        return checks.stream()
                .map(check -> check.name() + ": " + check.reason())
                .collect(Collectors.joining("; "));
    }
}
