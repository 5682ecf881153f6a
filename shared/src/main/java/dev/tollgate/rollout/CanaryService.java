package dev.tollgate.rollout;

import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.json.Nullable;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.smoke.SmokeTestResult;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.CanaryDeployment;
import dev.tollgate.traffic.CanaryHealth;
import dev.tollgate.traffic.ReleasePins;
import dev.tollgate.traffic.TrafficControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Starts the canary at 0 % and checks, poll by poll, that it became healthy before its deadline.
 * Deploying also pins the release into the spec (see {@link ReleasePins}), which the state machine
 * carries on from there.
 */
public final class CanaryService {

    private final TrafficControl traffic;
    private final DeploymentStore store;
    private final Clock clock;

    public CanaryService(TrafficControl traffic, DeploymentStore store, Clock clock) {
        this.traffic = traffic;
        this.store = store;
        this.clock = clock;
    }

    /** {@code secrets} are FetchSecrets' pins, which the release reads where its platform allows. */
    public CanaryStatus deploy(DeploymentSpec spec, PinnedSecrets secrets, int pollSeconds) {
        Instant now = clock.instant();
        CanaryDeployment deployed = traffic.deploy(spec, secrets);
        store.append(
                spec.deploymentId(),
                new TimelineEntry("canary-deployed", now, "DeployCanary", deployed.detail(), null, 0, null));
        Instant deadline = now.plusSeconds(spec.target().healthTimeoutSeconds());
        return new CanaryStatus(
                false,
                deployed.detail(),
                now,
                deadline,
                pollSeconds,
                ReleasePins.pin(spec, deployed.plan().releaseNames()));
    }

    public CanaryStatus checkHealth(DeploymentSpec spec, CanaryStatus previous) {
        Instant now = clock.instant();
        CanaryHealth health = traffic.health(spec);
        if (health.healthy()) {
            store.append(
                    spec.deploymentId(),
                    new TimelineEntry(
                            "canary-healthy",
                            now,
                            "CheckCanaryHealth",
                            "canary healthy: " + health.detail(),
                            null,
                            0,
                            null));
            return new CanaryStatus(
                    true, health.detail(), previous.deployedAt(), previous.deadline(), previous.pollSeconds(), null);
        }
        if (now.isAfter(previous.deadline())) {
            throw new CanaryUnhealthyException("canary not healthy "
                    + Duration.between(previous.deployedAt(), now).getSeconds() + "s after deployment (limit "
                    + spec.target().healthTimeoutSeconds() + "s): " + health.detail());
        }
        return new CanaryStatus(
                false, health.detail(), previous.deployedAt(), previous.deadline(), previous.pollSeconds(), null);
    }

    /**
     * The canary's readiness as the state machine carries it between polls. Right after deploying,
     * {@code spec} is the spec with the release pinned in; health polls leave it out. {@code smokeTest}:
     * the smoke test's outcome, once it ran.
     */
    public record CanaryStatus(
            boolean healthy,
            @Nullable String detail,
            Instant deployedAt,
            Instant deadline,
            int pollSeconds,
            @Nullable DeploymentSpec spec,
            @Nullable SmokeTestResult smokeTest) {

        public CanaryStatus(
                boolean healthy,
                @Nullable String detail,
                Instant deployedAt,
                Instant deadline,
                int pollSeconds,
                @Nullable DeploymentSpec spec) {
            this(healthy, detail, deployedAt, deadline, pollSeconds, spec, null);
        }

        /** The status with the smoke test's outcome, which SmokeTestCanary adds before the first shift. */
        public CanaryStatus withSmokeTest(SmokeTestResult result) {
            return new CanaryStatus(healthy, detail, deployedAt, deadline, pollSeconds, null, result);
        }
    }
}
