package dev.tollgate.bench.scenario;

import java.util.List;

/**
 * One canary step with known truth, replayed period by period (judge-scenarios/FORMAT.md).
 * {@code periods} may be longer than {@code maxPeriods}; replays stop at the budget. {@code effect}
 * is optional (docs/judge.md): what the generator injected, for the benchmark's oracle.
 */
public record Scenario(
        String name,
        Truth truth,
        int periodSeconds,
        double canaryWeight,
        int bakePeriods,
        int maxPeriods,
        long minRequests,
        double falsePositiveRate,
        Tolerance tolerance,
        List<Period> periods,
        Effect effect) {

    public Scenario {
        periods = List.copyOf(periods);
    }

    /** A scenario without a recorded effect, as the format's samples are. */
    public Scenario(
            String name,
            Truth truth,
            int periodSeconds,
            double canaryWeight,
            int bakePeriods,
            int maxPeriods,
            long minRequests,
            double falsePositiveRate,
            Tolerance tolerance,
            List<Period> periods) {
        this(
                name,
                truth,
                periodSeconds,
                canaryWeight,
                bakePeriods,
                maxPeriods,
                minRequests,
                falsePositiveRate,
                tolerance,
                periods,
                null);
    }

    public enum Truth {
        REGRESSION,
        NO_REGRESSION,
        INSUFFICIENT_TRAFFIC
    }

    /** Relative increases allowed before a metric counts as regressed (0.10 = +10 %). */
    public record Tolerance(double errorRate, double p95, double p99) {}

    /**
     * What the generator made the canary do, from {@code onsetPeriod} (0-based) on: its error rate
     * and its p95 and p99 as multiples of the baseline's, and the noise its percentiles really have
     * (the log-normal latency's spread, and each side's own period-to-period wobble of its median,
     * in log units), so the oracle can weigh the data as only something that knows the truth can.
     */
    public record Effect(
            double errorRatio,
            double p95Factor,
            double p99Factor,
            int onsetPeriod,
            double latencySpread,
            double sideLatencyNoise) {}

    /** What CloudWatch would return for one period on each side. */
    public record Period(Side baseline, Side canary) {}

    /**
     * One side's sums and percentiles for a period. A null field is a point CloudWatch did not
     * return; a null percentile is also what a side with no requests has.
     */
    public record Side(Double requests, Double errors, Double p95, Double p99) {}

    /** How many periods a replay may feed: the bake budget, or fewer if the scenario is shorter. */
    public int replayPeriods() {
        return Math.min(maxPeriods, periods.size());
    }

    /** The scenario's family: its name without the trailing "-number". */
    public String family() {
        return name.replaceFirst("-\\d+$", "");
    }
}
