package dev.tollgate.traffic;

import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.json.Nullable;
import dev.tollgate.spec.DeploymentSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Starts the canary at 0 % and checks, poll by poll, that it became healthy before its deadline. */
public final class CanaryService {

    private final TrafficRouterFactory routers;
    private final DeploymentStore store;
    private final Clock clock;

    public CanaryService(TrafficRouterFactory routers, DeploymentStore store, Clock clock) {
        this.routers = routers;
        this.store = store;
        this.clock = clock;
    }

    public CanaryStatus deploy(DeploymentSpec spec, int pollSeconds) {
        Instant now = clock.instant();
        String detail = routers.forTarget(spec.target()).deployCanary();
        store.append(spec.deploymentId(), new TimelineEntry("canary-deployed", now, "DeployCanary", detail, null, 0, null));
        Instant deadline = now.plusSeconds(spec.target().healthTimeoutSeconds());
        return new CanaryStatus(false, detail, now, deadline, pollSeconds);
    }

    public CanaryStatus checkHealth(DeploymentSpec spec, CanaryStatus previous) {
        Instant now = clock.instant();
        CanaryHealth health = routers.forTarget(spec.target()).canaryHealth();
        if (health.healthy()) {
            store.append(spec.deploymentId(), new TimelineEntry("canary-healthy", now, "CheckCanaryHealth",
                    "canary healthy: " + health.detail(), null, 0, null));
            return new CanaryStatus(true, health.detail(), previous.deployedAt(), previous.deadline(), previous.pollSeconds());
        }
        if (now.isAfter(previous.deadline())) {
            throw new CanaryUnhealthyException("canary not healthy " + Duration.between(previous.deployedAt(), now).getSeconds()
                    + "s after deployment (limit " + spec.target().healthTimeoutSeconds() + "s): " + health.detail());
        }
        return new CanaryStatus(false, health.detail(), previous.deployedAt(), previous.deadline(), previous.pollSeconds());
    }

    /** The canary's readiness as the state machine carries it between polls. */
    public record CanaryStatus(boolean healthy, @Nullable String detail, Instant deployedAt, Instant deadline, int pollSeconds) {
    }
}
