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
 * The canary's SLO burn rate over a short window (the last few periods) and a long one (the whole
 * step), in the multiwindow, multi-burn-rate manner of the SRE workbook: the short window says it
 * is still burning, the long one that it is not a blip. Both over the limit is a FAIL.
 *
 * <p>A handful of requests makes a burn rate meaningless (one error in five requests is a burn of
 * 200 against a 99.9 % objective), so the long window must also carry anytime-valid evidence that
 * the canary's error rate is above limit x budget, from the same kind of mixture likelihood ratio
 * as the metrics, at the same alpha.
 */
final class BurnRateCheck {

    static final String NAME = "slo-burn-rate";
    /** Periods in the short window; the long window is the whole step. */
    static final int SHORT_WINDOW_PERIODS = 5;

    private static final Mixture ALTERNATIVES = Mixture.logDistances(0.05, 6.0, 0.7, 1.2, 30);

    private BurnRateCheck() {
    }

    static CheckVerdict judge(SloSpec slo, MetricObservations errorRate, double alpha) {
        List<double[]> periods = canaryCounts(errorRate);
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("objective", slo.objective());
        numbers.put("errorBudget", slo.errorBudget());
        numbers.put("burnRateLimit", slo.burnRateLimit());
        numbers.put("alpha", alpha);
        double longErrors = 0;
        double longRequests = 0;
        double shortErrors = 0;
        double shortRequests = 0;
        for (int i = 0; i < periods.size(); i++) {
            longErrors += periods.get(i)[0];
            longRequests += periods.get(i)[1];
            if (i >= periods.size() - SHORT_WINDOW_PERIODS) {
                shortErrors += periods.get(i)[0];
                shortRequests += periods.get(i)[1];
            }
        }
        numbers.put("longWindowErrors", longErrors);
        numbers.put("longWindowRequests", longRequests);
        numbers.put("shortWindowErrors", shortErrors);
        numbers.put("shortWindowRequests", shortRequests);
        if (longRequests <= 0 || shortRequests <= 0) {
            return new CheckVerdict(NAME, CheckKind.SLO, Verdict.INCONCLUSIVE,
                    "no canary requests counted yet in " + errorRate.metric().name(), numbers);
        }
        double longBurn = longErrors / longRequests / slo.errorBudget();
        double shortBurn = shortErrors / shortRequests / slo.errorBudget();
        double limitRate = slo.burnRateLimit() * slo.errorBudget();
        double logEvidence = logEvidenceAbove(longErrors, longRequests, limitRate);
        numbers.put("shortWindowBurnRate", shortBurn);
        numbers.put("longWindowBurnRate", longBurn);
        numbers.put("burnEvidence", Formats.evidenceFigure(logEvidence));
        numbers.put("evidenceNeeded", 1 / alpha);
        String described = "canary burns the " + Formats.percent(slo.errorBudget()) + " budget at "
                + Formats.number(shortBurn) + "x over the last " + Math.min(SHORT_WINDOW_PERIODS, periods.size())
                + " periods and " + Formats.number(longBurn) + "x over the step (" + Formats.count(longErrors) + "/"
                + Formats.count(longRequests) + "), limit " + Formats.number(slo.burnRateLimit()) + "x";
        boolean burning = shortBurn > slo.burnRateLimit() && longBurn > slo.burnRateLimit();
        if (burning && logEvidence >= Math.log(1 / alpha)) {
            return new CheckVerdict(NAME, CheckKind.SLO, Verdict.FAIL, described + "; evidence "
                    + Formats.evidence(logEvidence) + " >= " + Formats.number(1 / alpha) + " needed", numbers);
        }
        if (burning) {
            return new CheckVerdict(NAME, CheckKind.SLO, Verdict.INCONCLUSIVE, described + ", but on too few requests to tell (evidence "
                    + Formats.evidence(logEvidence) + ", " + Formats.number(1 / alpha) + " needed)", numbers);
        }
        return new CheckVerdict(NAME, CheckKind.SLO, Verdict.PASS, described, numbers);
    }

    /**
     * Evidence that the error rate is above {@code limitRate}: binomial likelihood ratios of higher
     * rates against it, mixed. Against a fixed rate the ratio depends on the totals only.
     */
    static double logEvidenceAbove(double errors, double requests, double limitRate) {
        if (limitRate >= 1) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] logRatios = new double[ALTERNATIVES.size()];
        for (int j = 0; j < ALTERNATIVES.size(); j++) {
            double rate = Math.min(limitRate * Math.exp(ALTERNATIVES.alternative(j)), 1 - 1e-12);
            logRatios[j] = errors * Math.log(rate / limitRate) + (requests - errors) * (Math.log1p(-rate) - Math.log1p(-limitRate));
        }
        return ALTERNATIVES.logEvidence(logRatios);
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
            if (periodErrors != null && Double.isFinite(periodErrors) && Double.isFinite(periodRequests)
                    && periodErrors >= 0 && periodRequests >= 0) {
                periods.put(denominator.timestamps().get(i), new double[] {periodErrors, periodRequests});
            }
        }
        return new ArrayList<>(periods.values());
    }
}
