package dev.tollgate.traffic;

import dev.tollgate.spec.DeploymentSpec;

/** Picks the traffic backend for a deployment's target, acting where the spec places it (its region, its role). */
public interface TrafficRouterFactory {

    TrafficRouter forDeployment(DeploymentSpec spec);
}
