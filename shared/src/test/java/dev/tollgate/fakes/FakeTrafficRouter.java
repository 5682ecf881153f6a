package dev.tollgate.fakes;

import dev.tollgate.spec.Target;
import dev.tollgate.traffic.CanaryHealth;
import dev.tollgate.traffic.TrafficRouter;
import dev.tollgate.traffic.TrafficRouterFactory;
import dev.tollgate.traffic.TrafficWeights;
import java.util.ArrayList;
import java.util.List;

/** A target in memory: remembers its weights and how many times the canary was deployed; health is set by the test. */
public final class FakeTrafficRouter implements TrafficRouter, TrafficRouterFactory {

    private TrafficWeights weights = TrafficWeights.canaryAt(0);
    private boolean canaryDeployed;
    private boolean canaryStopped;
    private int healthChecksUntilHealthy;
    private final List<String> calls = new ArrayList<>();

    @Override
    public TrafficRouter forTarget(Target target) {
        return this;
    }

    public FakeTrafficRouter healthyAfter(int checks) {
        this.healthChecksUntilHealthy = checks;
        return this;
    }

    @Override
    public String deployCanary() {
        calls.add("deployCanary");
        canaryDeployed = true;
        canaryStopped = false;
        return "fake canary deployed";
    }

    @Override
    public CanaryHealth canaryHealth() {
        calls.add("canaryHealth");
        if (healthChecksUntilHealthy > 0) {
            healthChecksUntilHealthy--;
            return new CanaryHealth(false, "starting");
        }
        return new CanaryHealth(canaryDeployed, canaryDeployed ? "running 2/2" : "not deployed");
    }

    @Override
    public TrafficWeights shift(int canaryPercent) {
        calls.add("shift " + canaryPercent);
        weights = TrafficWeights.canaryAt(canaryPercent);
        return weights;
    }

    @Override
    public TrafficWeights currentWeights() {
        return weights;
    }

    @Override
    public TrafficWeights promote() {
        calls.add("promote");
        weights = TrafficWeights.canaryAt(100);
        return weights;
    }

    @Override
    public TrafficWeights rollback() {
        calls.add("rollback");
        weights = TrafficWeights.canaryAt(0);
        canaryStopped = true;
        return weights;
    }

    public TrafficWeights weights() {
        return weights;
    }

    public boolean canaryStopped() {
        return canaryStopped;
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }
}
