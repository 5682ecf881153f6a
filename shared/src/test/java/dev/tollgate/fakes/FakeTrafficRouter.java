package dev.tollgate.fakes;

import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.CanaryDeployment;
import dev.tollgate.traffic.CanaryHealth;
import dev.tollgate.traffic.LambdaAliasPlan;
import dev.tollgate.traffic.ReleasePlan;
import dev.tollgate.traffic.TrafficOutcome;
import dev.tollgate.traffic.TrafficRouter;
import dev.tollgate.traffic.TrafficRouterFactory;
import dev.tollgate.traffic.TrafficWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * A target in memory: remembers its weights and what was done to it; health is set by the test,
 * and so is a target that shifts by itself ({@link #shiftingItself()}, moved with {@link #handMoveTo}).
 */
public final class FakeTrafficRouter implements TrafficRouter, TrafficRouterFactory {

    private TrafficWeights weights = TrafficWeights.canaryAt(0);
    private boolean canaryDeployed;
    private boolean canaryStopped;
    private boolean oldVersionRetired;
    private boolean shiftsItself;
    private int pollsUntilSettled;
    private int healthChecksUntilHealthy;
    private final List<String> calls = new ArrayList<>();

    @Override
    public TrafficRouter forDeployment(DeploymentSpec spec) {
        return this;
    }

    public FakeTrafficRouter healthyAfter(int checks) {
        this.healthChecksUntilHealthy = checks;
        return this;
    }

    /** Makes this a target that moves traffic on its own, settling a promotion or rollback after {@code polls} more polls. */
    public FakeTrafficRouter shiftingItself(int polls) {
        this.shiftsItself = true;
        this.pollsUntilSettled = polls;
        return this;
    }

    /** Someone (or the target itself) moves traffic outside Tollgate. */
    public void handMoveTo(int canaryPercent) {
        weights = TrafficWeights.canaryAt(canaryPercent);
    }

    @Override
    public ReleasePlan plan(DeploymentSpec spec) {
        calls.add("plan");
        return new LambdaAliasPlan(spec.deploymentId(), "fake", "live", "41", null);
    }

    @Override
    public CanaryDeployment deployCanary(ReleasePlan plan, PinnedSecrets secrets) {
        calls.add("deployCanary");
        canaryDeployed = true;
        canaryStopped = false;
        LambdaAliasPlan fake = (LambdaAliasPlan) plan;
        return new CanaryDeployment(
                new LambdaAliasPlan(
                        fake.deploymentId(), fake.functionName(), fake.alias(), fake.baselineVersion(), "42"),
                "fake canary deployed");
    }

    @Override
    public CanaryHealth canaryHealth(ReleasePlan plan) {
        calls.add("canaryHealth");
        if (healthChecksUntilHealthy > 0) {
            healthChecksUntilHealthy--;
            return new CanaryHealth(false, "starting");
        }
        return new CanaryHealth(canaryDeployed, canaryDeployed ? "running 2/2" : "not deployed");
    }

    @Override
    public TrafficWeights currentWeights(ReleasePlan plan) {
        return weights;
    }

    @Override
    public TrafficWeights shift(ReleasePlan plan, int canaryPercent) {
        calls.add("shift " + canaryPercent);
        weights = TrafficWeights.canaryAt(canaryPercent);
        return weights;
    }

    @Override
    public TrafficOutcome promote(ReleasePlan plan) {
        calls.add("promote");
        if (shiftsItself && pollsUntilSettled-- > 0) {
            return new TrafficOutcome(weights, false, "still shifting");
        }
        weights = TrafficWeights.canaryAt(100);
        return TrafficOutcome.settled(weights, "all on the canary");
    }

    @Override
    public String retireOldVersion(ReleasePlan plan) {
        calls.add("retire");
        oldVersionRetired = true;
        return "old version stopped";
    }

    @Override
    public TrafficOutcome rollback(ReleasePlan plan) {
        calls.add("rollback");
        if (shiftsItself && pollsUntilSettled-- > 0) {
            return new TrafficOutcome(weights, false, "still rolling back");
        }
        weights = TrafficWeights.canaryAt(0);
        canaryStopped = true;
        return TrafficOutcome.settled(weights, "all on the baseline");
    }

    @Override
    public boolean shiftsTrafficItself() {
        return shiftsItself;
    }

    public TrafficWeights weights() {
        return weights;
    }

    public boolean canaryStopped() {
        return canaryStopped;
    }

    public boolean oldVersionRetired() {
        return oldVersionRetired;
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }
}
