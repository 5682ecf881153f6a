package dev.tollgate.rollout;

import dev.tollgate.decision.StepProgress;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.json.Nullable;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.StepSpec;
import dev.tollgate.traffic.TrafficControl;
import dev.tollgate.traffic.TrafficWeights;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Starts a step: moves traffic to the step's weight (or, for a target that shifts by itself, waits
 * until it has) and starts the step's bake clock.
 */
public final class ShiftService {

    private final TrafficControl traffic;
    private final DeploymentStore store;
    private final Clock clock;
    private final DeploymentEvents events;

    public ShiftService(TrafficControl traffic, DeploymentStore store, Clock clock) {
        this(traffic, store, clock, DeploymentEvents.NONE);
    }

    /** {@code events} hears of every step shifted. */
    public ShiftService(TrafficControl traffic, DeploymentStore store, Clock clock, DeploymentEvents events) {
        this.traffic = traffic;
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    public StepProgress shift(DeploymentSpec spec, int stepIndex) {
        StepSpec step = bakedStep(spec, stepIndex);
        if (traffic.shiftsTrafficItself(spec)) {
            throw new BadRequestException(
                    "this target moves traffic itself: the state machine watches it (WatchTrafficShift) "
                            + "instead of shifting it");
        }
        TrafficWeights weights = traffic.shift(spec, step.weight());
        return started(spec, stepIndex, weights, "ShiftTraffic");
    }

    /**
     * One look at a target that shifts by itself: once it sends at least the step's weight to the
     * canary, the step starts; until then the state machine waits and looks again, up to the
     * target's {@code healthTimeoutSeconds} after the first look.
     */
    public ShiftWatch watch(DeploymentSpec spec, int stepIndex, ShiftWatch previous, int pollSeconds) {
        StepSpec step = bakedStep(spec, stepIndex);
        Instant now = clock.instant();
        Instant since = previous != null && previous.stepIndex() == stepIndex && previous.watchingSince() != null
                ? previous.watchingSince()
                : now;
        TrafficWeights weights = traffic.watch(spec);
        if (weights.canaryPercent() >= step.weight()) {
            return new ShiftWatch(
                    true,
                    stepIndex,
                    weights.canaryPercent(),
                    since,
                    pollSeconds,
                    started(spec, stepIndex, weights, "WatchTrafficShift"));
        }
        long waited = Duration.between(since, now).getSeconds();
        if (waited > spec.target().healthTimeoutSeconds()) {
            throw new CanaryUnhealthyException("the target has not shifted to " + step.weight() + " % " + waited
                    + "s after step " + (stepIndex + 1) + " began (limit "
                    + spec.target().healthTimeoutSeconds() + "s); it is at " + weights);
        }
        return new ShiftWatch(false, stepIndex, weights.canaryPercent(), since, pollSeconds, null);
    }

    private StepProgress started(DeploymentSpec spec, int stepIndex, TrafficWeights weights, String state) {
        Instant now = clock.instant();
        store.append(
                spec.deploymentId(),
                new TimelineEntry(
                        TimelineEntry.STEP_SHIFTED_PREFIX + stepIndex,
                        now,
                        state,
                        "step " + (stepIndex + 1) + "/" + spec.steps().size() + ": " + weights,
                        stepIndex,
                        weights.canaryPercent(),
                        null));
        events.publish(DeploymentEvent.stepShifted(
                spec.deploymentId(),
                spec.service(),
                now,
                stepIndex,
                spec.steps().size(),
                weights.canaryPercent()));
        return StepProgress.started(
                stepIndex, weights.canaryPercent(), now, spec.analysis().periodSeconds());
    }

    private static StepSpec bakedStep(DeploymentSpec spec, int stepIndex) {
        if (stepIndex < 0 || stepIndex >= spec.promotionStepIndex()) {
            throw new BadRequestException("stepIndex " + stepIndex + " is not a step to bake; steps 0 to "
                    + (spec.promotionStepIndex() - 1) + " are, and the last is the promotion");
        }
        return spec.step(stepIndex);
    }

    /**
     * A look at a self-shifting target, as the state machine carries it between looks. When
     * {@code shifted}, {@code progress} is the started step.
     */
    public record ShiftWatch(
            boolean shifted,
            int stepIndex,
            int canaryWeight,
            @Nullable Instant watchingSince,
            int pollSeconds,
            @Nullable StepProgress progress) {}
}
