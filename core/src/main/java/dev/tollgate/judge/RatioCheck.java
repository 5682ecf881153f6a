package dev.tollgate.judge;

import dev.tollgate.judge.CheckVerdict.CheckKind;
import dev.tollgate.spec.MetricSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a RATIO metric (errors over requests) with {@link RateRatioEvidence}:
 * <ul>
 *   <li>FAIL as soon as the evidence that the canary's rate has been beyond the tolerance (from
 *       any period on) reaches 1/alpha;</li>
 *   <li>never PASS while that evidence is past half-way (sqrt(1/alpha)): a suspected regression
 *       keeps the step baking;</li>
 *   <li>PASS, once the canary has served the step's minimum requests, when the evidence over the
 *       whole step rules out a ratio beyond the tolerance, or, with thinner evidence, beyond the
 *       gross boundary (a doubled error rate), or when neither side has had a single error;</li>
 *   <li>INCONCLUSIVE otherwise.</li>
 * </ul>
 */
final class RatioCheck {

    private RatioCheck() {}

    static CheckVerdict judge(MetricObservations observations, double alpha, long minRequests, double budgetPeriods) {
        MetricSpec metric = observations.metric();
        List<PairedPeriods.Counts> periods = PairedPeriods.counts(observations);
        double canaryErrors = 0;
        double canaryRequests = 0;
        double baselineErrors = 0;
        double baselineRequests = 0;
        double expectedCanaryErrors = 0;
        for (PairedPeriods.Counts period : periods) {
            canaryErrors += period.canaryErrors();
            canaryRequests += period.canaryRequests();
            baselineErrors += period.baselineErrors();
            baselineRequests += period.baselineRequests();
            expectedCanaryErrors += period.canaryRequests() * period.baselineErrors() / period.baselineRequests();
        }
        double expectedCanaryErrorsPerPeriod = periods.isEmpty() ? 0 : expectedCanaryErrors / periods.size();
        Boundaries boundaries = Boundaries.forRatio(metric, expectedCanaryErrorsPerPeriod, budgetPeriods, alpha);
        double logThreshold = Math.log(1 / alpha);
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("canaryErrors", canaryErrors);
        numbers.put("canaryRequests", canaryRequests);
        numbers.put("baselineErrors", baselineErrors);
        numbers.put("baselineRequests", baselineRequests);
        numbers.put("pairedPeriods", (double) periods.size());
        numbers.put("skippedPeriods", (double)
                Math.max(0, observations.canaryDenominator().size() - periods.size()));
        numbers.put("minRequests", (double) minRequests);
        numbers.put("tolerance", metric.tolerance());
        numbers.put("toleranceBoundary", boundaries.tolerance());
        numbers.put("grossBoundary", boundaries.gross());
        numbers.put("alpha", alpha);
        numbers.put("evidenceNeeded", 1 / alpha);
        if (periods.isEmpty()) {
            return verdict(
                    metric,
                    Verdict.INCONCLUSIVE,
                    "no period with data on both sides yet ("
                            + observations.canaryDenominator().size() + " canary, "
                            + observations.baselineDenominator().size()
                            + " baseline request points)",
                    numbers);
        }
        numbers.put("canaryRate", canaryErrors / canaryRequests);
        numbers.put("baselineRate", baselineErrors / baselineRequests);

        RateRatioEvidence evidence = new RateRatioEvidence(periods);
        ChangePoints.Evidence regression =
                evidence.regressionEvidence(boundaries.tolerance(), boundaries.increaseIsBad());
        double logRegression = regression.logEvidence();
        double logWithinTolerance = boundaries.increaseIsBad()
                ? evidence.logEvidenceBelow(boundaries.tolerance())
                : evidence.logEvidenceAbove(boundaries.tolerance());
        double logNotGross = boundaries.increaseIsBad()
                ? evidence.logEvidenceBelow(boundaries.gross())
                : evidence.logEvidenceAbove(boundaries.gross());
        double lower = evidence.lowerBound(logThreshold);
        double upper = evidence.upperBound(logThreshold);
        putFinite(numbers, "rateRatio", evidence.estimate());
        numbers.put("rateRatioLowerBound", lower);
        putFinite(numbers, "rateRatioUpperBound", upper);
        numbers.put("regressionEvidence", Formats.evidenceFigure(logRegression));
        numbers.put("regressionSincePeriod", (double) Math.max(1, regression.strongestStart() + 1));
        numbers.put("noRegressionEvidence", Formats.evidenceFigure(logWithinTolerance));
        numbers.put("noGrossRegressionEvidence", Formats.evidenceFigure(logNotGross));
        numbers.put("ratioNoise", evidence.ratioNoise());

        String rates =
                "canary " + Formats.percent(canaryErrors / canaryRequests) + " (" + Formats.count(canaryErrors) + "/"
                        + Formats.count(canaryRequests) + ") vs baseline "
                        + Formats.percent(baselineErrors / baselineRequests) + " ("
                        + Formats.count(baselineErrors) + "/" + Formats.count(baselineRequests) + ")";
        String ratio = "ratio " + Formats.number(evidence.estimate()) + ", anytime " + Formats.number(100 * (1 - alpha))
                + "% bounds [" + Formats.number(lower) + ", " + Formats.number(upper) + "]";
        if (logRegression >= logThreshold) {
            return verdict(
                    metric,
                    Verdict.FAIL,
                    "regression: " + rates + ", " + ratio + "; evidence of a ratio "
                            + boundaries.worseWord() + " " + Formats.number(boundaries.tolerance())
                            + since(regression, periods)
                            + " is " + Formats.evidence(logRegression) + " >= " + Formats.number(1 / alpha) + " needed",
                    numbers);
        }
        if (logRegression >= logThreshold / 2) {
            return verdict(
                    metric,
                    Verdict.INCONCLUSIVE,
                    "suspected regression: " + rates + ", " + ratio + "; evidence of a ratio "
                            + boundaries.worseWord() + " " + Formats.number(boundaries.tolerance())
                            + since(regression, periods)
                            + " is " + Formats.evidence(logRegression) + ", " + Formats.number(1 / alpha) + " needed",
                    numbers);
        }
        if (canaryRequests < minRequests) {
            return verdict(
                    metric,
                    Verdict.INCONCLUSIVE,
                    "too little traffic: " + Formats.count(canaryRequests) + " of " + minRequests + " canary requests; "
                            + rates,
                    numbers);
        }
        if (logWithinTolerance >= logThreshold) {
            return verdict(
                    metric,
                    Verdict.PASS,
                    "within tolerance: " + rates + ", " + ratio + "; evidence of a ratio "
                            + (boundaries.increaseIsBad() ? "below " : "above ")
                            + Formats.number(boundaries.tolerance()) + " is "
                            + Formats.evidence(logWithinTolerance) + " >= " + Formats.number(1 / alpha),
                    numbers);
        }
        if (boundaries.increaseIsBad() && canaryErrors == 0 && baselineErrors == 0) {
            // A ratio of two zero rates cannot be bounded, yet a canary that served the minimum sample without
            // a single error (and a baseline without one either) shows nothing a rollback would fix.
            return verdict(metric, Verdict.PASS, "no errors on either side: " + rates, numbers);
        }
        if (logNotGross >= logThreshold) {
            return verdict(
                    metric,
                    Verdict.PASS,
                    "no gross regression: " + rates + ", " + ratio + "; a ratio "
                            + boundaries.worseWord() + " " + Formats.number(boundaries.gross())
                            + " is ruled out (evidence "
                            + Formats.evidence(logNotGross) + "), one " + boundaries.worseWord() + " "
                            + Formats.number(boundaries.tolerance()) + " is not",
                    numbers);
        }
        return verdict(
                metric,
                Verdict.INCONCLUSIVE,
                "not enough evidence either way: " + rates + ", " + ratio
                        + "; evidence of regression " + Formats.evidence(logRegression) + ", of none "
                        + Formats.evidence(logWithinTolerance) + ", " + Formats.number(1 / alpha) + " needed",
                numbers);
    }

    /** The canary requests the comparison used: only periods with data on both sides count towards the minimum sample. */
    static double canaryRequestsCompared(MetricObservations observations) {
        return PairedPeriods.counts(observations).stream()
                .mapToDouble(PairedPeriods.Counts::canaryRequests)
                .sum();
    }

    /** Where a change-point test found its evidence, when that is not the start of the step. */
    static String since(ChangePoints.Evidence evidence, List<?> periods) {
        return evidence.strongestStart() > 0
                ? " since period " + (evidence.strongestStart() + 1) + " of the " + periods.size() + " compared"
                : "";
    }

    private static void putFinite(Map<String, Double> numbers, String name, double value) {
        if (Double.isFinite(value)) {
            numbers.put(name, value);
        }
    }

    private static CheckVerdict verdict(
            MetricSpec metric, Verdict verdict, String reason, Map<String, Double> numbers) {
        return new CheckVerdict(metric.name(), CheckKind.METRIC, verdict, reason, numbers);
    }
}
