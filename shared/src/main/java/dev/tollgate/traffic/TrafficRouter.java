package dev.tollgate.traffic;

import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;

/**
 * Moves traffic between the live version and the canary on one kind of target (one adapter per
 * backend, in the manner of Argo Rollouts' traffic routers). Every method sets absolute state and
 * reads it back, so a retried call is harmless and a weight is only reported once the target shows
 * it. The {@link ReleasePlan} a router returns from {@link #plan} is what it is handed afterwards.
 */
public interface TrafficRouter {

    /**
     * Reads the target and works out the release: which side or version is live, where the canary
     * goes. Changes nothing; refuses (TargetStateConflictException) a target that is not at rest,
     * such as one already splitting traffic. The spec gives the deployment's id and, where the
     * backend needs them (CodeDeploy's schedule), its steps.
     */
    ReleasePlan plan(DeploymentSpec spec);

    /**
     * Starts the new version at 0 % traffic (CodeDeploy: creates the deployment), reading the
     * secret versions FetchSecrets pinned where the platform allows (an ECS task definition
     * revision, a Lambda version's environment) and saying in the detail what it could not pin.
     * Safe to repeat.
     */
    CanaryDeployment deployCanary(ReleasePlan plan, PinnedSecrets secrets);

    /** Whether the canary is ready for traffic; a failed canary (ECS circuit breaker, a failed version) throws CanaryUnhealthyException. */
    CanaryHealth canaryHealth(ReleasePlan plan);

    /** The split as the target reports it now; a split Tollgate cannot have made throws TargetStateConflictException. */
    TrafficWeights currentWeights(ReleasePlan plan);

    /** Sends {@code canaryPercent} of traffic to the canary and the rest to the baseline. */
    TrafficWeights shift(ReleasePlan plan, int canaryPercent);

    /** Sends all traffic to the new version and records it as live. */
    TrafficOutcome promote(ReleasePlan plan);

    /** After a promotion and its drain time: stops what the old version still runs. Safe to repeat; returns what was done. */
    String retireOldVersion(ReleasePlan plan);

    /** Sends all traffic back to the old version and stops the canary; works from any state, including half-applied ones. */
    TrafficOutcome rollback(ReleasePlan plan);

    /** True when the backend moves traffic on its own schedule (CodeDeploy) and Tollgate only watches and judges. */
    default boolean shiftsTrafficItself() {
        return false;
    }
}
