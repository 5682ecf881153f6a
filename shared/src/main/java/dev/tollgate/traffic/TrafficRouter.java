package dev.tollgate.traffic;

/**
 * Moves traffic between the live version and the canary on one kind of target. Every method sets
 * absolute state and reads it back, so a retried call is harmless and a weight is only reported
 * once the target shows it.
 */
public interface TrafficRouter {

    /** Starts the new version at 0 % traffic. Refuses when the target is not in the state a new deployment expects. */
    String deployCanary();

    CanaryHealth canaryHealth();

    /** Sends {@code canaryPercent} of traffic to the canary and the rest to the baseline. */
    TrafficWeights shift(int canaryPercent);

    TrafficWeights currentWeights();

    /** Sends all traffic to the new version. */
    TrafficWeights promote();

    /** Sends all traffic back to the old version and stops the canary; works from any state. */
    TrafficWeights rollback();
}
