package dev.tollgate.local;

import dev.tollgate.deployment.DeploymentStatus;
import java.util.Arrays;
import java.util.Locale;

/**
 * A release with a known truth, as the traffic simulator plays it: the error rate and latency of
 * the live version (baseline) and of the release (canary), and the outcome Tollgate should reach.
 */
public enum Scenario {
    GOOD(
            "a healthy release: same error rate and latency as the live version",
            0.010,
            0.010,
            1.00,
            50,
            DeploymentStatus.PROMOTED),
    BAD_ERRORS(
            "a release that fails 6 % of requests where the live version fails 1 %",
            0.010, 0.060, 1.00, 50, DeploymentStatus.ROLLED_BACK),
    // Its service records six times as many latencies a period (two PutMetricData datums), so that a doubled
    // p95 is three noise widths beyond the tolerance within two periods; the others record 50, which keeps
    // moto's CloudWatch, shared by every integration test, quick to answer.
    BAD_LATENCY(
            "a release whose requests take twice as long as the live version's, with the same errors",
            0.010,
            0.010,
            2.00,
            300,
            DeploymentStatus.ROLLED_BACK),
    // Metrics as good as the live version's: only the smoke test at 0 % can catch it, before any traffic moves.
    BAD_SMOKE_TEST(
            "a release whose canary answers 503 to the smoke test at 0 %, before its first step",
            0.010, 0.010, 1.00, 50, DeploymentStatus.ROLLED_BACK),
    // Healthy at every step, so only the post-promotion watch (which the demo adds for it) can catch it.
    BAD_AFTER_PROMOTION(
            "a release as healthy as the live version until it serves all traffic, then failing 6 % of requests "
                    + "(the load it never saw at 50 %); watched after the promotion",
            0.010, 0.010, 1.00, 50, DeploymentStatus.ROLLED_BACK, 0.060);

    private final String description;
    private final double baselineErrorRate;
    private final double canaryErrorRate;
    private final double canaryLatencyFactor;
    private final int latencySamples;
    private final DeploymentStatus expected;
    private final double errorRateAtFullTraffic;

    Scenario(
            String description,
            double baselineErrorRate,
            double canaryErrorRate,
            double canaryLatencyFactor,
            int latencySamples,
            DeploymentStatus expected) {
        this(
                description,
                baselineErrorRate,
                canaryErrorRate,
                canaryLatencyFactor,
                latencySamples,
                expected,
                canaryErrorRate);
    }

    Scenario(
            String description,
            double baselineErrorRate,
            double canaryErrorRate,
            double canaryLatencyFactor,
            int latencySamples,
            DeploymentStatus expected,
            double errorRateAtFullTraffic) {
        this.errorRateAtFullTraffic = errorRateAtFullTraffic;
        this.description = description;
        this.baselineErrorRate = baselineErrorRate;
        this.canaryErrorRate = canaryErrorRate;
        this.canaryLatencyFactor = canaryLatencyFactor;
        this.latencySamples = latencySamples;
        this.expected = expected;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Scenario fromCliName(String name) {
        return Arrays.stream(values())
                .filter(scenario -> scenario.cliName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "'; known: "
                        + String.join(
                                ", ",
                                Arrays.stream(values()).map(Scenario::cliName).toList())));
    }

    public String description() {
        return description;
    }

    public double baselineErrorRate() {
        return baselineErrorRate;
    }

    public double canaryErrorRate() {
        return canaryErrorRate;
    }

    /** The release's error rate when it serves {@code share} of the traffic: its canary rate, unless all of it. */
    public double releaseErrorRate(double share) {
        return share >= 1.0 ? errorRateAtFullTraffic : canaryErrorRate;
    }

    /** True when only a watch after the promotion can catch the release: the demo watches it. */
    public boolean needsWatch() {
        return errorRateAtFullTraffic != canaryErrorRate;
    }

    public double canaryLatencyFactor() {
        return canaryLatencyFactor;
    }

    /** Latencies the service records a period, per version (at most: fewer when the version served fewer requests). */
    public int latencySamples() {
        return latencySamples;
    }

    /** Whether the demo adds a smoke test that the canary fails (ECS_ALB: its test listener answers 503; Lambda: its version). */
    public boolean failsSmokeTest() {
        return this == BAD_SMOKE_TEST;
    }

    public DeploymentStatus expected() {
        return expected;
    }
}
