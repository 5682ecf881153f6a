package dev.tollgate.bench.reference;

import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.CheckVerdict;
import dev.tollgate.judge.CheckVerdict.CheckKind;
import dev.tollgate.judge.Judge;
import dev.tollgate.judge.MetricObservations;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.judge.StepEvidence;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.SloSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tollgate's first, deliberately simple judge, kept as a reference: a one-sided exact binomial
 * test on error counts, a median ratio on statistics, the SLO burn rate over two windows and the
 * alarm states. It never passes a step on too little data. Being fixed-horizon, repeating it every
 * tick inflates false rollbacks, which is what the benchmark shows beside the sequential judge
 * that replaced it.
 */
public final class FixedHorizonJudge implements Judge {

    /** Periods in the short burn-rate window; the long window is the whole step. */
    static final int SHORT_WINDOW_PERIODS = 5;

    @Override
    public StepVerdict judge(StepEvidence evidence) {
        List<CheckVerdict> checks = new ArrayList<>();
        boolean minimumSampleReached = true;
        for (MetricObservations observations : evidence.metrics()) {
            MetricSpec metric = observations.metric();
            if (metric.kind() == MetricKind.RATIO) {
                double canaryRequests = observations.canaryDenominator().sum();
                minimumSampleReached &= canaryRequests >= evidence.step().minRequests();
                checks.add(judgeRatio(observations, evidence));
            } else {
                checks.add(judgeStatistic(observations));
            }
        }
        if (evidence.analysis().slo() != null) {
            checks.add(judgeSlo(evidence));
        }
        for (String alarm : evidence.analysis().alarms()) {
            checks.add(judgeAlarm(alarm, evidence.alarms().getOrDefault(alarm, AlarmState.MISSING)));
        }
        return overall(checks, minimumSampleReached, evidence);
    }

    private static StepVerdict overall(List<CheckVerdict> checks, boolean minimumSampleReached, StepEvidence evidence) {
        List<CheckVerdict> failed =
                checks.stream().filter(check -> check.verdict() == Verdict.FAIL).toList();
        if (!failed.isEmpty()) {
            return new StepVerdict(Verdict.FAIL, reasons(failed), checks, minimumSampleReached, evidence.now());
        }
        List<CheckVerdict> undecided =
                checks.stream().filter(check -> check.verdict() != Verdict.PASS).toList();
        if (!undecided.isEmpty() || !minimumSampleReached) {
            String reason = undecided.isEmpty() ? "minimum sample not reached" : reasons(undecided);
            return new StepVerdict(Verdict.INCONCLUSIVE, reason, checks, minimumSampleReached, evidence.now());
        }
        return new StepVerdict(Verdict.PASS, "all " + checks.size() + " checks pass", checks, true, evidence.now());
    }

    private static String reasons(List<CheckVerdict> checks) {
        return checks.stream()
                .map(check -> check.name() + ": " + check.reason())
                .collect(Collectors.joining("; "));
    }

    private CheckVerdict judgeRatio(MetricObservations observations, StepEvidence evidence) {
        MetricSpec metric = observations.metric();
        double canaryErrors = observations.canaryNumerator().sum();
        double canaryRequests = observations.canaryDenominator().sum();
        double baselineErrors = observations.baselineNumerator().sum();
        double baselineRequests = observations.baselineDenominator().sum();
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("canaryErrors", canaryErrors);
        numbers.put("canaryRequests", canaryRequests);
        numbers.put("baselineErrors", baselineErrors);
        numbers.put("baselineRequests", baselineRequests);
        numbers.put("tolerance", metric.tolerance());
        numbers.put("minRequests", (double) evidence.step().minRequests());
        if (canaryRequests > 0) {
            numbers.put("canaryRate", canaryErrors / canaryRequests);
        }
        if (baselineRequests > 0) {
            numbers.put("baselineRate", baselineErrors / baselineRequests);
        }
        if (observations.canaryDenominator().isEmpty()
                || observations.baselineDenominator().isEmpty()) {
            return new CheckVerdict(
                    metric.name(),
                    CheckKind.METRIC,
                    Verdict.INCONCLUSIVE,
                    "no data yet for the " + (observations.canaryDenominator().isEmpty() ? "canary" : "baseline"),
                    numbers);
        }
        if (canaryRequests <= 0 || baselineRequests <= 0) {
            return new CheckVerdict(
                    metric.name(), CheckKind.METRIC, Verdict.INCONCLUSIVE, "no requests counted yet", numbers);
        }
        // Under "no regression" each error lands in the canary with probability equal to its share of
        // requests, inflated by the tolerance; more canary errors than that is the evidence of regression.
        double factor = metric.direction() == Direction.INCREASE_IS_BAD
                ? 1 + metric.tolerance()
                : Math.max(1e-9, 1 - metric.tolerance());
        double shareUnderNull = canaryRequests * factor / (canaryRequests * factor + baselineRequests);
        long errorsInCanary = Math.round(canaryErrors);
        long allErrors = errorsInCanary + Math.round(baselineErrors);
        double pValue = metric.direction() == Direction.INCREASE_IS_BAD
                ? Binomial.upperTail(allErrors, shareUnderNull, errorsInCanary)
                : Binomial.lowerTail(allErrors, shareUnderNull, errorsInCanary);
        numbers.put("pValue", pValue);
        numbers.put("alpha", evidence.analysis().falsePositiveRate());
        String rates = String.format(
                java.util.Locale.ROOT,
                "canary %.3f%% (%d/%d) vs baseline %.3f%% (%d/%d), tolerance %.0f%%",
                100 * canaryErrors / canaryRequests,
                errorsInCanary,
                Math.round(canaryRequests),
                100 * baselineErrors / baselineRequests,
                Math.round(baselineErrors),
                Math.round(baselineRequests),
                100 * metric.tolerance());
        if (pValue < evidence.analysis().falsePositiveRate()) {
            return new CheckVerdict(
                    metric.name(),
                    CheckKind.METRIC,
                    Verdict.FAIL,
                    "regression: " + rates + String.format(java.util.Locale.ROOT, ", p=%.2g", pValue),
                    numbers);
        }
        if (canaryRequests < evidence.step().minRequests()) {
            return new CheckVerdict(
                    metric.name(),
                    CheckKind.METRIC,
                    Verdict.INCONCLUSIVE,
                    "too little traffic: " + Math.round(canaryRequests) + " of "
                            + evidence.step().minRequests() + " canary requests; " + rates,
                    numbers);
        }
        return new CheckVerdict(metric.name(), CheckKind.METRIC, Verdict.PASS, "no regression: " + rates, numbers);
    }

    private CheckVerdict judgeStatistic(MetricObservations observations) {
        MetricSpec metric = observations.metric();
        Map<java.time.Instant, Double> baselineByPeriod = new LinkedHashMap<>();
        MetricSeries baseline = observations.baselineValues();
        for (int i = 0; i < baseline.size(); i++) {
            baselineByPeriod.put(baseline.timestamps().get(i), baseline.values().get(i));
        }
        List<Double> ratios = new ArrayList<>();
        MetricSeries canary = observations.canaryValues();
        for (int i = 0; i < canary.size(); i++) {
            Double baselineValue = baselineByPeriod.get(canary.timestamps().get(i));
            if (baselineValue != null && baselineValue > 0) {
                ratios.add(canary.values().get(i) / baselineValue);
            }
        }
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("pairedPeriods", (double) ratios.size());
        numbers.put("tolerance", metric.tolerance());
        if (ratios.size() < 3) {
            return new CheckVerdict(
                    metric.name(),
                    CheckKind.METRIC,
                    Verdict.INCONCLUSIVE,
                    ratios.size() + " paired periods, at least 3 needed",
                    numbers);
        }
        ratios.sort(Double::compare);
        double median = ratios.get(ratios.size() / 2);
        numbers.put("medianRatio", median);
        boolean regressed = metric.direction() == Direction.INCREASE_IS_BAD
                ? median > 1 + metric.tolerance()
                : median < 1 - metric.tolerance();
        String described = String.format(
                java.util.Locale.ROOT,
                "median canary/baseline %s ratio %.2f over %d periods, tolerance %.0f%%",
                metric.stat(),
                median,
                ratios.size(),
                100 * metric.tolerance());
        return new CheckVerdict(
                metric.name(),
                CheckKind.METRIC,
                regressed ? Verdict.FAIL : Verdict.PASS,
                (regressed ? "regression: " : "no regression: ") + described,
                numbers);
    }

    private CheckVerdict judgeSlo(StepEvidence evidence) {
        SloSpec slo = evidence.analysis().slo();
        String measured = slo.metric();
        MetricObservations errorRate = evidence.metrics().stream()
                .filter(observations -> observations.metric().name().equals(measured))
                .findFirst()
                .orElseThrow();
        double longBurn = burnRate(errorRate.canaryNumerator(), errorRate.canaryDenominator(), Integer.MAX_VALUE, slo);
        double shortBurn =
                burnRate(errorRate.canaryNumerator(), errorRate.canaryDenominator(), SHORT_WINDOW_PERIODS, slo);
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("burnRateLimit", slo.burnRateLimit());
        if (Double.isNaN(longBurn) || Double.isNaN(shortBurn)) {
            return new CheckVerdict(
                    "slo-burn-rate", CheckKind.SLO, Verdict.INCONCLUSIVE, "no canary requests counted yet", numbers);
        }
        numbers.put("shortWindowBurnRate", shortBurn);
        numbers.put("longWindowBurnRate", longBurn);
        String described = String.format(
                java.util.Locale.ROOT,
                "canary burns the %.2f%% budget at %.1fx (last %d periods) and %.1fx (step), limit %.1fx",
                100 * slo.errorBudget(),
                shortBurn,
                SHORT_WINDOW_PERIODS,
                longBurn,
                slo.burnRateLimit());
        boolean burning = shortBurn > slo.burnRateLimit() && longBurn > slo.burnRateLimit();
        return new CheckVerdict(
                "slo-burn-rate", CheckKind.SLO, burning ? Verdict.FAIL : Verdict.PASS, described, numbers);
    }

    private static double burnRate(MetricSeries errors, MetricSeries requests, int lastPeriods, SloSpec slo) {
        int from = Math.max(0, requests.size() - lastPeriods);
        double requestCount = 0;
        java.util.Set<java.time.Instant> window = new java.util.HashSet<>();
        for (int i = from; i < requests.size(); i++) {
            requestCount += requests.values().get(i);
            window.add(requests.timestamps().get(i));
        }
        double errorCount = 0;
        for (int i = 0; i < errors.size(); i++) {
            if (window.contains(errors.timestamps().get(i))) {
                errorCount += errors.values().get(i);
            }
        }
        return requestCount <= 0 ? Double.NaN : (errorCount / requestCount) / slo.errorBudget();
    }

    private static CheckVerdict judgeAlarm(String alarm, AlarmState state) {
        Map<String, Double> numbers = Map.of();
        return switch (state) {
            case OK -> new CheckVerdict(alarm, CheckKind.ALARM, Verdict.PASS, "alarm OK", numbers);
            case ALARM -> new CheckVerdict(alarm, CheckKind.ALARM, Verdict.FAIL, "alarm in ALARM", numbers);
            case INSUFFICIENT_DATA ->
                new CheckVerdict(alarm, CheckKind.ALARM, Verdict.INCONCLUSIVE, "alarm has INSUFFICIENT_DATA", numbers);
            case MISSING ->
                new CheckVerdict(
                        alarm,
                        CheckKind.ALARM,
                        Verdict.INCONCLUSIVE,
                        "no alarm with this name in this account and region",
                        numbers);
        };
    }
}
