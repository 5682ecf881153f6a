package dev.tollgate.traffic;

import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import java.util.Optional;

/**
 * Drives one deployment's target through its backend's router while keeping, on the deployment's
 * record, the release plan and the last weight Tollgate set. Three rules make every call safe:
 * the plan is written before the first change (so a rollback after a crash knows what to undo);
 * before traffic moves, the target must show the weight Tollgate set or was setting (anything else
 * was changed by hand and is refused); and a rollback never depends on the record being right.
 */
public final class TrafficControl {

    private final TrafficRouterFactory routers;
    private final TrafficLedger ledger;

    public TrafficControl(TrafficRouterFactory routers, TrafficLedger ledger) {
        this.routers = routers;
        this.ledger = ledger;
    }

    /**
     * Plans the release (once: a retry reuses the recorded plan) and starts the canary at 0 %,
     * reading the pinned {@code secrets} where the backend can.
     */
    public CanaryDeployment deploy(DeploymentSpec spec, PinnedSecrets secrets) {
        TrafficRouter router = routers.forDeployment(spec);
        String id = spec.deploymentId();
        TrafficRecord record = ledger.find(id).orElse(null);
        if (record == null) {
            record = TrafficRecord.planned(router.plan(spec));
            // Written before anything changes: from here on a rollback knows what to undo.
            ledger.save(id, record);
        }
        CanaryDeployment deployed = router.deployCanary(record.plan(), secrets);
        ledger.save(id, record.withPlan(deployed.plan()));
        return deployed;
    }

    public CanaryHealth health(DeploymentSpec spec) {
        return routers.forDeployment(spec).canaryHealth(plan(spec));
    }

    /** Sets the canary's weight, provided the target still shows what Tollgate set before. */
    public TrafficWeights shift(DeploymentSpec spec, int canaryPercent) {
        TrafficRouter router = routers.forDeployment(spec);
        if (router.shiftsTrafficItself()) {
            throw new IllegalStateException("this target moves traffic itself; watch it instead of shifting");
        }
        String id = spec.deploymentId();
        TrafficRecord record = record(spec);
        record.expect(router.currentWeights(record.plan()), "shift to " + canaryPercent + " %");
        ledger.save(id, record.intending(canaryPercent));
        TrafficWeights applied = router.shift(record.plan(), canaryPercent);
        ledger.save(id, record.confirmed(applied.canaryPercent()));
        return applied;
    }

    /** For a target that shifts by itself: the split it shows now (and it fails if the target's own deployment failed). */
    public TrafficWeights watch(DeploymentSpec spec) {
        return routers.forDeployment(spec).currentWeights(plan(spec));
    }

    public boolean shiftsTrafficItself(DeploymentSpec spec) {
        return routers.forDeployment(spec).shiftsTrafficItself();
    }

    /** All traffic to the new version, again provided the target shows what Tollgate set. */
    public TrafficOutcome promote(DeploymentSpec spec) {
        TrafficRouter router = routers.forDeployment(spec);
        String id = spec.deploymentId();
        TrafficRecord record = record(spec);
        if (!router.shiftsTrafficItself()) {
            record.expect(router.currentWeights(record.plan()), "promote");
            record = record.intending(100);
            ledger.save(id, record);
        }
        TrafficOutcome outcome = router.promote(record.plan());
        if (outcome.settled()) {
            ledger.save(id, record.confirmed(outcome.weights().canaryPercent()));
        }
        return outcome;
    }

    public String retireOldVersion(DeploymentSpec spec) {
        return routers.forDeployment(spec).retireOldVersion(plan(spec));
    }

    /**
     * All traffic back to the old version, from whatever state the target is in. With no plan on
     * the record nothing was changed (the plan is written before the first change), so nothing is undone.
     */
    public TrafficOutcome rollback(DeploymentSpec spec) {
        Optional<TrafficRecord> record = ledger.find(spec.deploymentId());
        if (record.isEmpty()) {
            return TrafficOutcome.settled(
                    TrafficWeights.canaryAt(0), "no canary was deployed, so the target was left as it was");
        }
        // Traffic first: a rollback must not wait on the record being writable.
        TrafficOutcome outcome =
                routers.forDeployment(spec).rollback(record.get().plan());
        if (outcome.settled()) {
            ledger.save(
                    spec.deploymentId(),
                    record.get().confirmed(outcome.weights().canaryPercent()));
        }
        return outcome;
    }

    /** Whether this deployment ever got as far as planning its canary (the plan is written before the first change). */
    public boolean canaryDeployed(DeploymentSpec spec) {
        return ledger.find(spec.deploymentId()).isPresent();
    }

    public ReleasePlan plan(DeploymentSpec spec) {
        return record(spec).plan();
    }

    private TrafficRecord record(DeploymentSpec spec) {
        return ledger.find(spec.deploymentId())
                .orElseThrow(() -> new TargetStateConflictException(
                        "deployment " + spec.deploymentId() + " has no traffic record: its canary was never deployed"));
    }
}
