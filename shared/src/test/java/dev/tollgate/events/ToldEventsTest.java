package dev.tollgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.deployment.ApprovalService;
import dev.tollgate.deployment.LockService;
import dev.tollgate.fakes.FakeDeploymentExecutions;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.fakes.FakeSmokeTarget;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryReleaseStore;
import dev.tollgate.fakes.InMemoryTrafficLedger;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.ops.OpsService;
import dev.tollgate.release.ReleaseService;
import dev.tollgate.rollout.DecisionService;
import dev.tollgate.rollout.FinalizeService;
import dev.tollgate.rollout.ShiftService;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.smoke.ProbeReply;
import dev.tollgate.smoke.SmokeTestService;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.ReleaseSpec;
import dev.tollgate.telemetry.Correlation;
import dev.tollgate.telemetry.InvocationContext;
import dev.tollgate.traffic.TrafficControl;
import dev.tollgate.watch.PostPromotionWatch;
import dev.tollgate.watch.WatchProgress;
import dev.tollgate.watch.WatchTick;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every fact the services can tell, told as the functions tell it (through the fan-out, in an
 * invocation whose event names the execution but, here, not the service), conforms to
 * docs/events.schema.json: each carries the same correlation fields, so a rule on any of them hears
 * every fact.
 */
class ToldEventsTest {

    private static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:tollgate-deployment:";
    private static final String RELEASE_EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:tollgate-release:";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T11:00:00Z"));
    private final List<DeploymentEvent> told = new ArrayList<>();
    private final DeploymentEvents events = DeploymentEvents.all(List.of(told::add));

    /** One deployment from its lock to its end, every service telling what it did; {@code ending} picks the outcome. */
    private void deployment(String deploymentId, String ending) {
        DeploymentSpec spec = Json.convert(
                Json.tree(SampleEvents.read("shift-traffic.json").replace("checkout-2026-11-24-v42", deploymentId))
                        .path("spec"),
                DeploymentSpec.class);
        InMemoryDeploymentStore store = new InMemoryDeploymentStore();
        TrafficControl traffic = new TrafficControl(new FakeTrafficRouter(), new InMemoryTrafficLedger());
        FinalizeService finalize = new FinalizeService(traffic, store, clock, 15, events);
        inInvocation(deploymentId, () -> {
            new LockService(store, clock, events).acquire(spec.service(), deploymentId, EXECUTION + deploymentId);
            if (ending.equals("dry run")) {
                finalize.finishDryRun(spec, "would apply 1 migration: V2 add discount code");
                return;
            }
            traffic.deploy(spec, PinnedSecrets.NONE);
            FakeSmokeTarget canary = new FakeSmokeTarget().probeAnswers(ProbeReply.status(200));
            new SmokeTestService(traffic, canary, canary, canary, store, clock, pause -> {}, events)
                    .run(withSmokeTest(spec));
            StepProgress progress = new ShiftService(traffic, store, clock, events).shift(spec, 0);
            clock.advance(Duration.ofSeconds(spec.step(0).bakeSeconds()));
            StepVerdict passed = new StepVerdict(Verdict.PASS, "all checks pass", List.of(), true, clock.instant());
            new DecisionService((judged, step, tickStartedAt) -> passed, store, new DecisionPolicy(), clock, events)
                    .decide(spec, progress, clock.instant(), 0);
            // An execution started before the state machine passed the service to the gate: the record names it.
            new ApprovalService(store, clock, events)
                    .park(deploymentId, null, 1, "token-" + deploymentId, "step 1 passed");
            switch (ending) {
                case "promote" -> finalize.promote(spec, "all steps passed");
                case "watch" -> watchedAndRolledBack(spec, store, finalize);
                case "roll back" -> finalize.rollBack(spec, "step 1 failed", true);
                case "fail" -> finalize.rollBack(spec, "ShiftTraffic failed", false);
                default -> finalize.requireManualIntervention(spec, "failed: throttled");
            }
        });
    }

    /**
     * A release of one wave told by the release function (in its invocation, whose event names the release execution),
     * promoted or halted by its target's failure.
     */
    private void release(String releaseId, boolean promoted) {
        InMemoryDeploymentStore store = new InMemoryDeploymentStore();
        FakeDeploymentExecutions executions = new FakeDeploymentExecutions();
        OpsService ops = new OpsService(store, executions, executions, new dev.tollgate.spec.SpecValidator(), clock);
        ReleaseService releases = new ReleaseService(
                new InMemoryReleaseStore(), store, ops, executions, executions, events, clock, "eu-west-1");
        DeploymentSpec spec =
                Json.convert(Json.tree(SampleEvents.read("shift-traffic.json")).path("spec"), DeploymentSpec.class);
        ReleaseSpec release = new ReleaseSpec(
                releaseId,
                List.of(new ReleaseSpec.Wave(
                        1, List.of(new ReleaseSpec.WaveTarget("eu-west-1", null, spec, "checkout")), 0)),
                0,
                ReleaseSpec.OnFailure.ROLLBACK_ALL);
        String target = spec.deploymentId();
        inInvocation(
                releaseId,
                () -> {
                    releases.open(release, RELEASE_EXECUTION + releaseId);
                    releases.startWave(releaseId, 1);
                    releases.checkLock(releaseId, target, "checkout");
                    if (promoted) {
                        releases.endWave(
                                releaseId,
                                1,
                                List.of(new ReleaseService.TargetOutcome(target, "PROMOTED", null, null)));
                        releases.complete(releaseId);
                        releases.checkTargetsEnded(releaseId);
                        releases.finishPromoted(releaseId);
                    } else {
                        releases.endWave(
                                releaseId,
                                1,
                                List.of(new ReleaseService.TargetOutcome(
                                        target, "NOT_PROMOTED", "RolledBack", "failed")));
                        releases.halt(releaseId, "WaveFailed", "wave 1 failed");
                        releases.finishHalted(releaseId);
                    }
                },
                RELEASE_EXECUTION);
    }

    /** The spec with Tollgate's probe as its smoke test (the sample is an ECS_ALB spec, so it names a test listener). */
    private static DeploymentSpec withSmokeTest(DeploymentSpec spec) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = Json.MAPPER.valueToTree(spec);
        tree.set(
                "smokeTest",
                Json.tree(
                        "{\"probe\": {\"path\": \"/health\"}, \"testListenerArn\": "
                                + "\"arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod/50dc6c495c0c9188/9d0d3f37e5a2c1b4\"}"));
        return new dev.tollgate.spec.SpecValidator().validate(tree);
    }

    /** Promoted with a watch, whose first tick finds an alarm in ALARM: the watch rolls the new version back. */
    private void watchedAndRolledBack(DeploymentSpec spec, InMemoryDeploymentStore store, FinalizeService finalize) {
        ObjectNode node = (ObjectNode) Json.tree(Json.write(spec));
        node.putObject("afterPromotion").put("watchSeconds", 600);
        DeploymentSpec watched = Json.convert(node, DeploymentSpec.class);
        Instant promotedAt = clock.instant();
        finalize.promote(watched, "all steps passed");
        FakeMetricSource metrics = new FakeMetricSource();
        watched.analysis().alarms().forEach(alarm -> metrics.alarm(alarm, AlarmState.ALARM));
        clock.advance(Duration.ofSeconds(90));
        WatchTick tick = new PostPromotionWatch(metrics, new SequentialJudge(), store, clock, events)
                .tick(watched, new WatchProgress(promotedAt), clock.instant(), 0);
        finalize.rollBack(watched, tick.reason(), true);
    }

    /** The correlation a function reads from its event: the execution (every task passes it), no service. */
    private static void inInvocation(String deploymentId, Runnable work) {
        inInvocation(deploymentId, work, EXECUTION);
    }

    private static void inInvocation(String deploymentId, Runnable work, String executions) {
        InvocationContext.Scope invocation =
                InvocationContext.open(new Correlation(deploymentId, null, executions + deploymentId, "Test", null, 0));
        try {
            work.run();
        } finally {
            invocation.close();
        }
    }

    @Test
    void everyFactTheServicesTellCarriesTheCorrelationFieldsAndConformsToTheSchema() {
        deployment("checkout-promoted", "promote");
        deployment("checkout-rolled-back", "roll back");
        deployment("checkout-failed", "fail");
        deployment("checkout-stuck", "manual intervention");
        deployment("checkout-dry-run", "dry run");
        deployment("checkout-watched", "watch");
        release("checkout-v42", true);
        release("checkout-v43", false);

        Set<DeploymentEvent.Type> types = EnumSet.noneOf(DeploymentEvent.Type.class);
        for (DeploymentEvent event : told) {
            types.add(event.type());
            String detail = Json.write(event);
            assertEquals(List.of(), EventSchema.violations(detail), event.type() + ": " + detail);
            assertEquals("checkout", event.service(), detail);
            assertTrue(event.executionArn().endsWith(":" + event.deploymentId()), detail);
        }
        assertEquals(EnumSet.allOf(DeploymentEvent.Type.class), types, "every type of fact was told");
    }

    @Test
    void anAwaitingApprovalEventNamesTheServiceTheGateWasGiven() {
        InMemoryDeploymentStore store = new InMemoryDeploymentStore();
        new LockService(store, clock).acquire("checkout", "checkout-v42", EXECUTION + "checkout-v42");

        inInvocation(
                "checkout-v42",
                () -> new ApprovalService(store, clock, events)
                        .park("checkout-v42", "checkout", 2, "token", "step 2 passed"));

        DeploymentEvent waiting = told.get(0);
        assertEquals(DeploymentEvent.Type.AWAITING_APPROVAL, waiting.type());
        assertEquals("checkout", waiting.service());
        assertEquals(List.of(), EventSchema.violations(Json.write(waiting)));
    }
}
