package dev.tollgate.judge;

import dev.tollgate.judge.CheckVerdict.CheckKind;
import dev.tollgate.spec.SloSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canary's SLO burn rate, judged as the SRE workbook alerts on it: multiwindow, multi-burn-rate
 * (https://sre.google/workbook/alerting-on-slos/, "6: Multiwindow, Multi-Burn-Rate Alerts"). Each
 * {@link Tier} pairs a burn rate with a long window and a short one a twelfth as long; a tier fails
 * the step only when the canary burns faster than its rate over <em>both</em> windows (the long
 * one says it is no blip, the short one that it is still burning). The workbook's tiers for a
 * 30-day SLO are 14.4x over 1 hour (5 minutes), 6x over 6 hours (30 minutes) and 1x over 3 days
 * (6 hours); the windows scale with the spec's {@code windowDays}, the rates with its
 * {@code burnRateLimit} (the fastest tier's rate), and both are counted in analysis periods.
 *
 * <p>A step cannot look further back than it has run. The fastest tier judges from the first
 * period, its long window the whole step until the step is longer; the slower tiers wait until the
 * step has run their whole long window, since a low rate over a fraction of it says nothing the
 * workbook would alert on. When the step is no longer than a tier's short window, both windows are
 * the whole step.
 *
 * <p>A handful of requests makes a burn rate meaningless (one error in five requests is a burn of
 * 200 against a 99.9 % objective), so a burning tier fails only with anytime-valid evidence that the
 * canary's error rate is above the tier's rate x budget: binomial likelihood ratios mixed over
 * higher rates and over the period the burn began ({@link ChangePoints}), at the step's alpha.
 */
final class BurnRateCheck {

    static final String NAME = "slo-burn-rate";

    /** The workbook's short windows are a twelfth of the long ones (5 minutes of 1 hour). */
    static final int SHORT_WINDOW_DIVISOR = 12;

    private static final double SECONDS_PER_DAY = 86_400;

    private static final Mixture ALTERNATIVES = Mixture.logDistances(0.05, 6.0, 0.7, 1.2, 30);

    /** The workbook's tiers: name, rate for a 30-day SLO, long window as a fraction of the SLO window (1 h of 30 days = 1/720). */
    private enum WorkbookTier {
        FAST("fast", 14.4, 1.0 / 720),
        MEDIUM("medium", 6.0, 1.0 / 120),
        SLOW("slow", 1.0, 1.0 / 10);

        private final String label;
        private final double rate;
        private final double windowFraction;

        WorkbookTier(String label, double rate, double windowFraction) {
            this.label = label;
            this.rate = rate;
            this.windowFraction = windowFraction;
        }
    }

    /**
     * One tier of the check for this spec: its burn rate and its windows in analysis periods. Only the
     * fastest tier judges a step shorter than its long window.
     */
    record Tier(String name, double burnRate, int longWindowPeriods, int shortWindowPeriods, boolean fastest) {}

    private BurnRateCheck() {}

    /** The tiers for an SLO judged on periods of {@code periodSeconds}, fastest first. */
    static List<Tier> tiers(SloSpec slo, int periodSeconds) {
        List<Tier> tiers = new ArrayList<>();
        for (WorkbookTier tier : WorkbookTier.values()) {
            double longWindowSeconds = slo.windowDays() * SECONDS_PER_DAY * tier.windowFraction;
            int longPeriods = periods(longWindowSeconds, periodSeconds);
            int shortPeriods = periods(longWindowSeconds / SHORT_WINDOW_DIVISOR, periodSeconds);
            // burnRateLimit is the fastest tier's rate; the others keep the workbook's ratio to it (6/14.4, 1/14.4).
            tiers.add(new Tier(
                    tier.label,
                    slo.burnRateLimit() * tier.rate / WorkbookTier.FAST.rate,
                    longPeriods,
                    shortPeriods,
                    tier == WorkbookTier.FAST));
        }
        return tiers;
    }

    /** A window in whole periods, at least one: CloudWatch has nothing finer. */
    private static int periods(double seconds, int periodSeconds) {
        return (int) Math.max(1, Math.round(seconds / periodSeconds));
    }

    static CheckVerdict judge(SloSpec slo, int periodSeconds, MetricObservations errorRate, double alpha) {
        List<double[]> periods = canaryCounts(errorRate);
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("objective", slo.objective());
        numbers.put("errorBudget", slo.errorBudget());
        numbers.put("burnRateLimit", slo.burnRateLimit());
        numbers.put("alpha", alpha);
        numbers.put("evidenceNeeded", 1 / alpha);
        numbers.put("periods", (double) periods.size());
        if (total(periods, periods.size(), 1) <= 0) {
            return new CheckVerdict(
                    NAME,
                    CheckKind.SLO,
                    Verdict.INCONCLUSIVE,
                    "no canary requests counted yet in " + errorRate.metric().name(),
                    numbers);
        }
        List<TierVerdict> verdicts = new ArrayList<>();
        for (Tier tier : tiers(slo, periodSeconds)) {
            verdicts.add(judgeTier(tier, slo, periods, alpha, numbers));
        }
        for (Verdict worst : List.of(Verdict.FAIL, Verdict.INCONCLUSIVE)) {
            for (TierVerdict verdict : verdicts) {
                if (verdict.verdict() == worst) {
                    return new CheckVerdict(NAME, CheckKind.SLO, worst, verdict.reason(), numbers);
                }
            }
        }
        List<String> tiers = verdicts.stream().map(TierVerdict::reason).toList();
        return new CheckVerdict(
                NAME,
                CheckKind.SLO,
                Verdict.PASS,
                "no tier burns the " + Formats.percent(slo.errorBudget()) + " budget over its rate in both windows: "
                        + String.join("; ", tiers),
                numbers);
    }

    /** A tier's verdict, or PASS with a note when it waits for the step to run its long window. */
    private record TierVerdict(Verdict verdict, String reason) {}

    private static TierVerdict judgeTier(
            Tier tier, SloSpec slo, List<double[]> periods, double alpha, Map<String, Double> numbers) {
        String name = tier.name() + " tier (" + Formats.number(tier.burnRate()) + "x)";
        numbers.put(tier.name() + "BurnRate", tier.burnRate());
        numbers.put(tier.name() + "LongWindowPeriods", (double) tier.longWindowPeriods());
        numbers.put(tier.name() + "ShortWindowPeriods", (double) tier.shortWindowPeriods());
        if (!tier.fastest() && periods.size() < tier.longWindowPeriods()) {
            return new TierVerdict(Verdict.PASS, name + " waits for " + tier.longWindowPeriods() + " periods");
        }
        int longPeriods = Math.min(tier.longWindowPeriods(), periods.size());
        int shortPeriods = Math.min(tier.shortWindowPeriods(), periods.size());
        double longErrors = total(periods, longPeriods, 0);
        double longRequests = total(periods, longPeriods, 1);
        double shortErrors = total(periods, shortPeriods, 0);
        double shortRequests = total(periods, shortPeriods, 1);
        numbers.put(tier.name() + "LongWindowErrors", longErrors);
        numbers.put(tier.name() + "LongWindowRequests", longRequests);
        numbers.put(tier.name() + "ShortWindowErrors", shortErrors);
        numbers.put(tier.name() + "ShortWindowRequests", shortRequests);
        if (longRequests <= 0 || shortRequests <= 0) {
            return new TierVerdict(Verdict.INCONCLUSIVE, name + ": no canary requests in " + lastPeriods(shortPeriods));
        }
        double longBurn = longErrors / longRequests / slo.errorBudget();
        double shortBurn = shortErrors / shortRequests / slo.errorBudget();
        numbers.put(tier.name() + "LongWindowBurnRate", longBurn);
        numbers.put(tier.name() + "ShortWindowBurnRate", shortBurn);
        String counts = " (" + Formats.count(longErrors) + "/" + Formats.count(longRequests) + ")";
        String windows = shortPeriods == longPeriods
                ? Formats.number(longBurn) + "x over " + lastPeriods(longPeriods) + ", both windows" + counts
                : Formats.number(shortBurn) + "x over " + lastPeriods(shortPeriods) + " and " + Formats.number(longBurn)
                        + "x over the last " + longPeriods + counts;
        if (shortBurn <= tier.burnRate() || longBurn <= tier.burnRate()) {
            return new TierVerdict(Verdict.PASS, name + " " + windows);
        }
        double logEvidence = logEvidenceAbove(periods, tier.burnRate() * slo.errorBudget());
        numbers.put(tier.name() + "BurnEvidence", Formats.evidenceFigure(logEvidence));
        String burning = name + ": canary burns the " + Formats.percent(slo.errorBudget()) + " budget at " + windows
                + ", both over the tier's rate";
        if (logEvidence >= Math.log(1 / alpha)) {
            return new TierVerdict(
                    Verdict.FAIL,
                    burning + "; evidence " + Formats.evidence(logEvidence) + " >= " + Formats.number(1 / alpha)
                            + " needed");
        }
        return new TierVerdict(
                Verdict.INCONCLUSIVE,
                burning + ", but on too few requests to tell (evidence " + Formats.evidence(logEvidence) + ", "
                        + Formats.number(1 / alpha) + " needed)");
    }

    private static String lastPeriods(int periods) {
        return periods == 1 ? "the last period" : "the last " + periods + " periods";
    }

    /** The sum of one column (0 errors, 1 requests) over the last {@code lastPeriods} periods. */
    private static double total(List<double[]> periods, int lastPeriods, int column) {
        double sum = 0;
        for (int i = periods.size() - lastPeriods; i < periods.size(); i++) {
            sum += periods.get(i)[column];
        }
        return sum;
    }

    /**
     * Evidence that the error rate has been above {@code limitRate} since some period of the step:
     * per-period binomial likelihood ratios of higher rates against it, mixed over the rates and over
     * the period the burn began. Each test started at a period is a supermartingale while the rate
     * stays at or below the limit, so the mixture crosses 1/alpha at any look with probability at most alpha.
     */
    static double logEvidenceAbove(List<double[]> periods, double limitRate) {
        if (limitRate >= 1 || periods.isEmpty()) {
            return Double.NEGATIVE_INFINITY;
        }
        double[][] increments = new double[periods.size()][ALTERNATIVES.size()];
        for (int j = 0; j < ALTERNATIVES.size(); j++) {
            double rate = Math.min(limitRate * Math.exp(ALTERNATIVES.alternative(j)), 1 - 1e-12);
            double logErrorRatio = Math.log(rate / limitRate);
            double logSuccessRatio = Math.log1p(-rate) - Math.log1p(-limitRate);
            for (int i = 0; i < periods.size(); i++) {
                double errors = periods.get(i)[0];
                increments[i][j] = errors * logErrorRatio + (periods.get(i)[1] - errors) * logSuccessRatio;
            }
        }
        return ChangePoints.mixture(increments, ALTERNATIVES).logEvidence();
    }

    /** The canary's (errors, requests) per period where both are present, oldest first. */
    private static List<double[]> canaryCounts(MetricObservations errorRate) {
        Map<Instant, Double> errors = new HashMap<>();
        MetricSeries numerator = errorRate.canaryNumerator();
        for (int i = 0; i < numerator.size(); i++) {
            errors.put(numerator.timestamps().get(i), numerator.values().get(i));
        }
        TreeMap<Instant, double[]> periods = new TreeMap<>();
        MetricSeries denominator = errorRate.canaryDenominator();
        for (int i = 0; i < denominator.size(); i++) {
            Double periodErrors = errors.get(denominator.timestamps().get(i));
            double periodRequests = denominator.values().get(i);
            if (periodErrors != null
                    && Double.isFinite(periodErrors)
                    && Double.isFinite(periodRequests)
                    && periodErrors >= 0
                    && periodRequests >= 0) {
                periods.put(denominator.timestamps().get(i), new double[] {periodErrors, periodRequests});
            }
        }
        return new ArrayList<>(periods.values());
    }
}
