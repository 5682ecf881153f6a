package dev.tollgate.judge;

import dev.tollgate.judge.CheckVerdict.CheckKind;
import dev.tollgate.spec.MetricSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a STATISTIC metric (a latency percentile, a custom metric) on the paired per-period
 * values, against baseline x (1 + tolerance). Three sequential tests look at each question and
 * their evidence is averaged (a weighted average of e-values is an e-value, so the false-alarm
 * guarantee holds):
 * <ul>
 *   <li>a shift test on log ratios with a noise bound ({@link ShiftEvidence}), which weighs how many
 *       noise widths beyond the boundary the canary is, so a clear shift is caught in two periods;</li>
 *   <li>a scale-free t-test on the same log ratios ({@link TTestEvidence}), which needs no noise
 *       bound and takes over where the bound is loose; its evidence only counts in windows where
 *       most periods are beyond the boundary too, so a couple of wild periods cannot carry it; and</li>
 *   <li>a sign test ({@link SignEvidence}): which side of the boundary each period falls on, and
 *       nothing else, so it assumes nothing about the values' distribution.</li>
 * </ul>
 * Regression evidence mixes over the period the regression started ({@link ChangePoints}); the
 * evidence of no regression covers the whole step. Both sides of the shared noise (an incident,
 * a busy hour) move together and cancel in each period's pairing.
 */
final class StatisticCheck {

    /**
     * The shift test's share of the averaged evidence: it does the fast work where its noise bound
     * holds, and its bound now follows the tail's spread read from a companion percentile.
     */
    static final double SHIFT_TEST_WEIGHT = 0.8;
    /** The t-test's share: needing no noise bound, it is the fallback where the bound is loose. */
    static final double T_TEST_WEIGHT = (1 - SHIFT_TEST_WEIGHT) * 0.75;
    /**
     * The sign test's share. It is the safety net for shapes the other two misread, and can at best
     * double its evidence each period anyway.
     */
    static final double SIGN_TEST_WEIGHT = (1 - SHIFT_TEST_WEIGHT) * 0.25;

    private StatisticCheck() {}

    /**
     * {@code companion}: another percentile of the same latency, read for the same sides (the p99
     * beside a p95), whose pairing with this one shows the tail's spread; null when there is none.
     */
    static CheckVerdict judge(MetricObservations observations, MetricObservations companion, double alpha) {
        MetricSpec metric = observations.metric();
        Boundaries boundaries = Boundaries.forStatistic(metric);
        List<PairedPeriods.Values> periods = PairedPeriods.values(observations, companion);
        double[] sampling = PercentileShape.samplingVariances(
                periods,
                metric.stat(),
                companion == null ? null : companion.metric().stat());
        double logThreshold = Math.log(1 / alpha);
        int trials = periods.size();
        boolean[] worse = new boolean[trials];
        boolean[] better = new boolean[trials];
        boolean[] notGross = new boolean[trials];
        double[] beyondTolerance = new double[trials];
        double[] beyondGross = new double[trials];
        List<Double> ratios = new ArrayList<>();
        int worseCount = 0;
        int betterCount = 0;
        int notGrossCount = 0;
        for (int i = 0; i < trials; i++) {
            PairedPeriods.Values period = periods.get(i);
            worse[i] = beyond(period, boundaries.tolerance(), boundaries.increaseIsBad());
            better[i] = within(period, boundaries.tolerance(), boundaries.increaseIsBad());
            notGross[i] = within(period, boundaries.gross(), boundaries.increaseIsBad());
            worseCount += worse[i] ? 1 : 0;
            betterCount += better[i] ? 1 : 0;
            notGrossCount += notGross[i] ? 1 : 0;
            beyondTolerance[i] = logDistance(period, boundaries.tolerance(), boundaries.increaseIsBad());
            beyondGross[i] = logDistance(period, boundaries.gross(), boundaries.increaseIsBad());
            if (period.baseline() > 0 && period.canary() >= 0) {
                ratios.add(period.canary() / period.baseline());
            }
        }
        ShiftEvidence toleranceShift = new ShiftEvidence(beyondTolerance, sampling);
        ChangePoints.Evidence regression = regressionEvidence(worse, beyondTolerance, toleranceShift);
        double logRegression = regression.logEvidence();
        double logWithinTolerance = wholeStepEvidence(better, beyondTolerance, toleranceShift);
        double logNotGross = wholeStepEvidence(notGross, beyondGross, new ShiftEvidence(beyondGross, sampling));
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("pairedPeriods", (double) trials);
        numbers.put("skippedPeriods", (double)
                Math.max(0, observations.canaryValues().size() - trials));
        numbers.put("periodsBeyondTolerance", (double) worseCount);
        numbers.put("periodsWithinTolerance", (double) betterCount);
        numbers.put("tolerance", metric.tolerance());
        numbers.put("toleranceBoundary", boundaries.tolerance());
        numbers.put("grossBoundary", boundaries.gross());
        numbers.put("alpha", alpha);
        numbers.put("evidenceNeeded", 1 / alpha);
        numbers.put("regressionEvidence", Formats.evidenceFigure(logRegression));
        numbers.put("regressionSincePeriod", (double) Math.max(1, regression.strongestStart() + 1));
        numbers.put("noRegressionEvidence", Formats.evidenceFigure(logWithinTolerance));
        numbers.put("noGrossRegressionEvidence", Formats.evidenceFigure(logNotGross));
        if (trials > 0) {
            numbers.put("periodNoise", toleranceShift.latestNoise());
            numbers.put("noiseScaledBySampleCounts", toleranceShift.scaledByCounts() ? 1.0 : 0.0);
        }
        if (trials == 0) {
            return verdict(
                    metric,
                    Verdict.INCONCLUSIVE,
                    "no period with a value on both sides yet ("
                            + observations.canaryValues().size() + " canary, "
                            + observations.baselineValues().size() + " baseline points)",
                    numbers);
        }
        String summary = describe(metric, ratios, alpha, logThreshold, numbers) + ", " + worseCount + " of " + trials
                + " periods " + boundaries.worseWord() + " " + Formats.number(boundaries.tolerance()) + "x baseline";
        if (logRegression >= logThreshold) {
            return verdict(
                    metric,
                    Verdict.FAIL,
                    "regression: " + summary + "; evidence" + RatioCheck.since(regression, periods) + " "
                            + Formats.evidence(logRegression) + " >= " + Formats.number(1 / alpha) + " needed",
                    numbers);
        }
        if (logRegression >= logThreshold / 2) {
            return verdict(
                    metric,
                    Verdict.INCONCLUSIVE,
                    "suspected regression: " + summary + "; evidence"
                            + RatioCheck.since(regression, periods) + " " + Formats.evidence(logRegression) + ", "
                            + Formats.number(1 / alpha) + " needed",
                    numbers);
        }
        if (logWithinTolerance >= logThreshold) {
            return verdict(
                    metric,
                    Verdict.PASS,
                    "within tolerance: " + summary + "; evidence of none " + Formats.evidence(logWithinTolerance)
                            + " >= " + Formats.number(1 / alpha),
                    numbers);
        }
        if (logNotGross >= logThreshold) {
            return verdict(
                    metric,
                    Verdict.PASS,
                    "no gross regression: " + summary + "; " + notGrossCount + " of " + trials
                            + " periods on the good side of " + Formats.number(boundaries.gross())
                            + "x baseline (evidence "
                            + Formats.evidence(logNotGross) + ")",
                    numbers);
        }
        return verdict(
                metric,
                Verdict.INCONCLUSIVE,
                "not enough evidence either way: " + summary + "; evidence of regression "
                        + Formats.evidence(logRegression) + ", of none " + Formats.evidence(logWithinTolerance) + ", "
                        + Formats.number(1 / alpha) + " needed",
                numbers);
    }

    /**
     * Evidence that the canary is beyond the boundary from some period on: for each start, the
     * weighted average of the three tests' evidence over the periods since.
     */
    private static ChangePoints.Evidence regressionEvidence(
            boolean[] beyond, double[] logDistance, ShiftEvidence shift) {
        int periods = beyond.length;
        double[] shiftFrom = shift.logEvidenceFromEachStart();
        double[] evidenceFrom = new double[periods];
        int successes = 0;
        int tested = 0;
        double sum = 0;
        double sumOfSquares = 0;
        int logged = 0;
        for (int start = periods - 1; start >= 0; start--) {
            successes += beyond[start] ? 1 : 0;
            tested++;
            if (!Double.isNaN(logDistance[start])) {
                sum += logDistance[start];
                sumOfSquares += logDistance[start] * logDistance[start];
                logged++;
            }
            evidenceFrom[start] = combined(successes, tested, logged, sum, sumOfSquares, shiftFrom[start]);
        }
        return ChangePoints.fromStartEvidence(evidenceFrom);
    }

    /** Evidence that the canary is on the good side over the whole step; distances flip sign. */
    private static double wholeStepEvidence(boolean[] onGoodSide, double[] logDistance, ShiftEvidence shift) {
        int successes = 0;
        double sum = 0;
        double sumOfSquares = 0;
        int logged = 0;
        for (int i = 0; i < onGoodSide.length; i++) {
            successes += onGoodSide[i] ? 1 : 0;
            if (!Double.isNaN(logDistance[i])) {
                sum -= logDistance[i];
                sumOfSquares += logDistance[i] * logDistance[i];
                logged++;
            }
        }
        return combined(successes, onGoodSide.length, logged, sum, sumOfSquares, shift.logEvidenceBelowZero());
    }

    private static double combined(
            int successes, int trials, int logged, double sum, double sumOfSquares, double logShift) {
        double sign = Math.log(SIGN_TEST_WEIGHT) + SignEvidence.logEvidence(successes, trials);
        // The t-test counts only where most periods agree, so a few outliers cannot carry it.
        double tTest = 2 * successes > trials
                ? Math.log(T_TEST_WEIGHT) + TTestEvidence.logEvidence(logged, sum, sumOfSquares)
                : Double.NEGATIVE_INFINITY;
        return logSum(sign, tTest, Math.log(SHIFT_TEST_WEIGHT) + logShift);
    }

    private static double logSum(double... logTerms) {
        double max = Double.NEGATIVE_INFINITY;
        for (double term : logTerms) {
            max = Math.max(max, term);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double total = 0;
        for (double term : logTerms) {
            total += Math.exp(term - max);
        }
        return max + Math.log(total);
    }

    /**
     * log(canary / (baseline x boundary)), signed so that positive is worse; NaN when a value is
     * not positive (the t-test then skips the period, the sign test does not).
     */
    private static double logDistance(PairedPeriods.Values period, double boundary, boolean increaseIsBad) {
        if (period.canary() <= 0 || period.baseline() <= 0) {
            return Double.NaN;
        }
        double distance = Math.log(period.canary() / period.baseline()) - Math.log(boundary);
        return increaseIsBad ? distance : -distance;
    }

    /**
     * The canary strictly beyond the boundary. Distances are taken relative to |baseline| so the
     * direction of "worse" holds for metrics that can be zero or negative.
     */
    private static boolean beyond(PairedPeriods.Values period, double boundary, boolean increaseIsBad) {
        double limit = period.baseline() + (boundary - 1) * Math.abs(period.baseline());
        return increaseIsBad ? period.canary() > limit : period.canary() < limit;
    }

    /** The canary strictly on the good side of the boundary, or exactly equal to the baseline. */
    private static boolean within(PairedPeriods.Values period, double boundary, boolean increaseIsBad) {
        if (period.canary() == period.baseline()) {
            return true;
        }
        double limit = period.baseline() + (boundary - 1) * Math.abs(period.baseline());
        return increaseIsBad ? period.canary() < limit : period.canary() > limit;
    }

    /** The median canary/baseline ratio and, when the periods allow, anytime bounds on it from the sign test. */
    private static String describe(
            MetricSpec metric, List<Double> ratios, double alpha, double logThreshold, Map<String, Double> numbers) {
        if (ratios.isEmpty()) {
            return metric.stat() == null ? "no ratio" : metric.stat() + ": no ratio";
        }
        ratios.sort(Double::compare);
        int n = ratios.size();
        double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
        numbers.put("medianRatio", median);
        String described = (metric.stat() == null ? "" : metric.stat() + " ") + "median canary/baseline ratio "
                + Formats.number(median) + " over " + n + " periods";
        // The median ratio is below c once enough periods are below c: the needed-th smallest ratio bounds it.
        int needed = SignEvidence.successesNeeded(n, logThreshold);
        if (needed > 0) {
            double upper = ratios.get(needed - 1);
            double lower = ratios.get(n - needed);
            numbers.put("medianRatioUpperBound", upper);
            numbers.put("medianRatioLowerBound", lower);
            described += ", anytime " + Formats.number(100 * (1 - alpha)) + "% sign-test bounds ["
                    + Formats.number(lower) + ", " + Formats.number(upper) + "]";
        }
        return described;
    }

    private static CheckVerdict verdict(
            MetricSpec metric, Verdict verdict, String reason, Map<String, Double> numbers) {
        return new CheckVerdict(metric.name(), CheckKind.METRIC, verdict, reason, numbers);
    }
}
