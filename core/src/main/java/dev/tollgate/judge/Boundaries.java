package dev.tollgate.judge;

import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.Direction;

/**
 * Where a metric's regression starts, as a canary/baseline ratio: the tolerance boundary (a
 * regression is the canary beyond it), and the gross boundary that thin evidence may still rule
 * out. Worse is above for INCREASE_IS_BAD and below for DECREASE_IS_BAD.
 */
record Boundaries(boolean increaseIsBad, double tolerance, double gross) {

    /**
     * An error rate that doubles (or exceeds 1 + 2 x tolerance, if that is more) is a gross
     * regression when errors are scarce: a few dozen errors in a step cannot tell 1.0 from 1.5.
     */
    static final double GROSS_RATE_RATIO = 2.0;
    /**
     * Where the canary sees several errors a period ({@link #SEVERAL_ERRORS} at the baseline's
     * rate), the data can rule out a rate half as high again within a bake, so that is gross.
     */
    static final double GROSS_RATE_RATIO_WITH_ERRORS = 1.5;

    static final double SEVERAL_ERRORS = 5;

    /**
     * The most the gross boundary is ever raised to for scarce errors: a fivefold error rate is
     * never passed as "no gross regression".
     */
    static final double LARGEST_GROSS_RATE_RATIO = 5.0;
    /**
     * Where even a doubled rate cannot be ruled out within the bake budget, the gross boundary is
     * raised until a release at the baseline's rate would gather this many times the evidence
     * needed by the end of the budget ({@link #reachableBoundary}).
     */
    static final double REACHABLE_EVIDENCE_MARGIN = 2;

    /**
     * {@code expectedCanaryErrorsPerPeriod}: the canary's errors a period at the baseline's rate;
     * {@code budgetPeriods}: how many periods the step may bake ({@code maxBakeSeconds}); {@code
     * alpha}: the spec's false-positive rate.
     */
    static Boundaries forRatio(
            MetricSpec metric, double expectedCanaryErrorsPerPeriod, double budgetPeriods, double alpha) {
        double tolerance = metric.tolerance();
        if (metric.direction() == Direction.DECREASE_IS_BAD) {
            return new Boundaries(
                    false, below(1 - tolerance), below(Math.min(1 / GROSS_RATE_RATIO, 1 - 2 * tolerance)));
        }
        double gross =
                expectedCanaryErrorsPerPeriod >= SEVERAL_ERRORS ? GROSS_RATE_RATIO_WITH_ERRORS : GROSS_RATE_RATIO;
        double reachable = reachableBoundary(
                expectedCanaryErrorsPerPeriod * budgetPeriods, REACHABLE_EVIDENCE_MARGIN * Math.log(1 / alpha));
        return new Boundaries(true, 1 + tolerance, Math.max(Math.max(gross, reachable), 1 + 2 * tolerance));
    }

    /**
     * The least rate ratio b (at most {@link #LARGEST_GROSS_RATE_RATIO}) that a canary at the
     * baseline's rate, expecting {@code expectedErrors} errors over the budget, rules out with
     * {@code logEvidence} on average: the expected log-likelihood ratio of rate 1 against rate b is
     * b − 1 − ln b per expected error (Poisson counts, a canary with a small share of the traffic).
     */
    static double reachableBoundary(double expectedErrors, double logEvidence) {
        if (!(expectedErrors > 0)) {
            return 1;
        }
        double perError = logEvidence / expectedErrors;
        if (perError >= LARGEST_GROSS_RATE_RATIO - 1 - Math.log(LARGEST_GROSS_RATE_RATIO)) {
            return LARGEST_GROSS_RATE_RATIO;
        }
        double low = 1;
        double high = LARGEST_GROSS_RATE_RATIO;
        for (int i = 0; i < 40; i++) {
            double middle = (low + high) / 2;
            if (middle - 1 - Math.log(middle) >= perError) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return high;
    }

    /** A statistic beyond twice the tolerance is a gross regression. */
    static Boundaries forStatistic(MetricSpec metric) {
        double tolerance = metric.tolerance();
        if (metric.direction() == Direction.DECREASE_IS_BAD) {
            return new Boundaries(false, below(1 - tolerance), below(1 - 2 * tolerance));
        }
        return new Boundaries(true, 1 + tolerance, 1 + 2 * tolerance);
    }

    /**
     * A decrease of 100 % or more cannot happen to a non-negative quantity; a tiny positive boundary
     * keeps the arithmetic finite while meaning "never a regression".
     */
    private static double below(double boundary) {
        return Math.max(boundary, 1e-6);
    }

    String worseWord() {
        return increaseIsBad ? "above" : "below";
    }
}
