package dev.tollgate.traffic;

import dev.tollgate.errors.TargetStateConflictException;

/**
 * What Tollgate knows it did to the target of one deployment: the release plan, the canary weight
 * it last set and read back ({@code confirmedCanaryPercent}), and the weight it is about to set
 * ({@code intendedCanaryPercent}, written before the call). A target showing either weight is as
 * Tollgate left it, even after a crash between the call and the record; any other weight was set
 * by someone else.
 */
public record TrafficRecord(ReleasePlan plan, int confirmedCanaryPercent, Integer intendedCanaryPercent) {

    public static TrafficRecord planned(ReleasePlan plan) {
        return new TrafficRecord(plan, 0, null);
    }

    public TrafficRecord withPlan(ReleasePlan newPlan) {
        return new TrafficRecord(newPlan, confirmedCanaryPercent, intendedCanaryPercent);
    }

    public TrafficRecord intending(int canaryPercent) {
        return new TrafficRecord(plan, confirmedCanaryPercent, canaryPercent);
    }

    public TrafficRecord confirmed(int canaryPercent) {
        return new TrafficRecord(plan, canaryPercent, null);
    }

    /** Refuses to act when the target shows a weight Tollgate did not set. */
    public void expect(TrafficWeights found, String action) {
        int canary = found.canaryPercent();
        if (canary == confirmedCanaryPercent || intendedCanaryPercent != null && canary == intendedCanaryPercent) {
            return;
        }
        throw new TargetStateConflictException("refusing to " + action + ": the target sends " + canary
                + " % to the canary, but Tollgate last set " + confirmedCanaryPercent + " %"
                + (intendedCanaryPercent == null ? "" : " (or was setting " + intendedCanaryPercent + " %)")
                + "; someone changed it by hand during the deployment. Found: " + found);
    }
}
