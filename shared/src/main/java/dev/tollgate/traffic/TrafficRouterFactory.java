package dev.tollgate.traffic;

import dev.tollgate.spec.Target;

/** Picks the traffic backend for a deployment's target. */
public interface TrafficRouterFactory {

    TrafficRouter forTarget(Target target);
}
