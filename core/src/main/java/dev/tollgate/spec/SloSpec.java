package dev.tollgate.spec;

/**
 * The service's availability objective, e.g. 0.999 over 28 days, the burn rate that fails a step, and
 * {@code metric}: the name of the {@code INCREASE_IS_BAD} RATIO metric (errors over requests) the SLO
 * is measured on, both before anything deploys (the live version's error budget) and at every step
 * (the canary's burn rate). The validator fills it in, so no reader ever guesses which metric it is.
 */
public record SloSpec(double objective, int windowDays, double burnRateLimit, String metric) {

    /** The fraction of requests allowed to fail: 0.001 for a 99.9 % objective. */
    public double errorBudget() {
        return 1.0 - objective;
    }
}
