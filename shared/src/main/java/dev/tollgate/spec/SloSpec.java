package dev.tollgate.spec;

/** The service's availability objective, e.g. 0.999 over 28 days, and the burn rate that fails a step. */
public record SloSpec(double objective, int windowDays, double burnRateLimit) {

    /** The fraction of requests allowed to fail: 0.001 for a 99.9 % objective. */
    public double errorBudget() {
        return 1.0 - objective;
    }
}
