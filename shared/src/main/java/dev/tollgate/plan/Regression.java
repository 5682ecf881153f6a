package dev.tollgate.plan;

/**
 * A release to simulate: how much worse its error rates (every INCREASE_IS_BAD RATIO) and its statistics
 * (every INCREASE_IS_BAD STATISTIC, latency typically) are than the live version's. 1 and 1 is a healthy release.
 */
public record Regression(String name, double errorFactor, double statisticFactor) {

    public static final Regression HEALTHY = new Regression("healthy", 1, 1);

    public boolean healthy() {
        return errorFactor == 1 && statisticFactor == 1;
    }
}
