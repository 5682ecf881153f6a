package dev.tollgate.traffic;

/**
 * Where traffic stands after a promotion or a rollback. {@code settled} once the target shows the
 * final split; a backend that moves traffic itself (CodeDeploy) may need further polls, each of
 * them safe to repeat. {@code detail} says what was seen or what is awaited.
 */
public record TrafficOutcome(TrafficWeights weights, boolean settled, String detail) {

    public static TrafficOutcome settled(TrafficWeights weights, String detail) {
        return new TrafficOutcome(weights, true, detail);
    }
}
