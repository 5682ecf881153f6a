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

    static Boundaries forRatio(MetricSpec metric, double expectedCanaryErrorsPerPeriod) {
        double tolerance = metric.tolerance();
        if (metric.direction() == Direction.DECREASE_IS_BAD) {
            return new Boundaries(false, below(1 - tolerance), below(Math.min(1 / GROSS_RATE_RATIO, 1 - 2 * tolerance)));
        }
        double gross = expectedCanaryErrorsPerPeriod >= SEVERAL_ERRORS ? GROSS_RATE_RATIO_WITH_ERRORS : GROSS_RATE_RATIO;
        return new Boundaries(true, 1 + tolerance, Math.max(gross, 1 + 2 * tolerance));
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
