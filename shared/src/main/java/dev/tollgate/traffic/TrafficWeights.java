package dev.tollgate.traffic;

/** The traffic split as read back from the target: percent on the live (baseline) version and on the canary. */
public record TrafficWeights(int baselinePercent, int canaryPercent) {

    public static TrafficWeights canaryAt(int canaryPercent) {
        return new TrafficWeights(100 - canaryPercent, canaryPercent);
    }

    @Override
    public String toString() {
        return "baseline " + baselinePercent + " % / canary " + canaryPercent + " %";
    }
}
