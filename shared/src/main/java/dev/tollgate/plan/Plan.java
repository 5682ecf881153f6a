package dev.tollgate.plan;

import java.util.List;

/**
 * What {@link Planner} found for a spec on the service's measured traffic: per step, the canary's requests
 * a period, whether {@code minRequests} is reachable in time, and per simulated release how the real judge
 * decided; then a suggested bake per step, and notes.
 */
public record Plan(
        int periodSeconds,
        int measuredPeriods,
        double requestsPerPeriod,
        int runs,
        List<StepPlan> steps,
        List<String> notes) {

    public Plan {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    /**
     * One step: its weight, the canary's mean requests a period at that weight, the periods {@code minRequests}
     * takes at that rate and whether they fit in {@code maxBakeSeconds}, the figures per simulated release,
     * and the bake the healthy release's evidence needs (its 90th percentile, at least one period).
     */
    public record StepPlan(
            int stepIndex,
            int weight,
            int bakeSeconds,
            int maxBakeSeconds,
            long minRequests,
            double canaryRequestsPerPeriod,
            double periodsToMinRequests,
            boolean minRequestsReachable,
            List<Outcomes> outcomes,
            int suggestedBakeSeconds) {
        public StepPlan {
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * How the judge decided one simulated release over many runs: the share that passed, failed and stayed
     * undecided until {@code maxBakeSeconds}, the mean periods to a PASS and to a FAIL (NaN when none did),
     * and the spread of the mean periods to a decision (its standard error).
     */
    public record Outcomes(
            Regression regression,
            double passShare,
            double failShare,
            double undecidedShare,
            double meanPeriodsToPass,
            double meanPeriodsToFail,
            double meanPeriodsToDecision,
            double standardError) {}
}
