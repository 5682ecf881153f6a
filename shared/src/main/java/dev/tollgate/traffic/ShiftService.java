package dev.tollgate.traffic;

import dev.tollgate.decision.StepProgress;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.StepSpec;
import java.time.Clock;
import java.time.Instant;

/** Moves traffic to a step's weight and starts that step's bake clock. */
public final class ShiftService {

    private final TrafficRouterFactory routers;
    private final DeploymentStore store;
    private final Clock clock;
    private final DeploymentEvents events;

    public ShiftService(TrafficRouterFactory routers, DeploymentStore store, Clock clock) {
        this(routers, store, clock, DeploymentEvents.NONE);
    }

    /** {@code events} hears of every step shifted. */
    public ShiftService(TrafficRouterFactory routers, DeploymentStore store, Clock clock, DeploymentEvents events) {
        this.routers = routers;
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    public StepProgress shift(DeploymentSpec spec, int stepIndex) {
        if (stepIndex < 0 || stepIndex >= spec.promotionStepIndex()) {
            throw new BadRequestException("stepIndex " + stepIndex + " is not a step to bake; steps 0 to "
                    + (spec.promotionStepIndex() - 1) + " are, and the last is the promotion");
        }
        StepSpec step = spec.step(stepIndex);
        TrafficWeights weights = routers.forTarget(spec.target()).shift(step.weight());
        Instant now = clock.instant();
        store.append(spec.deploymentId(), new TimelineEntry("shift-" + stepIndex, now, "ShiftTraffic",
                "step " + (stepIndex + 1) + "/" + spec.steps().size() + ": " + weights, stepIndex, weights.canaryPercent(), null));
        events.publish(DeploymentEvent.stepShifted(spec.deploymentId(), spec.service(), now, stepIndex, spec.steps().size(),
                weights.canaryPercent()));
        return new StepProgress(stepIndex, weights.canaryPercent(), now, spec.analysis().periodSeconds());
    }
}
