package dev.tollgate.functions.finalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.LockService;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryTrafficLedger;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.rollout.FinalizeService;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.traffic.TrafficControl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outcome is told once, with why traffic went back: the judge, an operator, or a failure. */
class FinalizeEventsTest {

    private static final String DEPLOYMENT = "checkout-2026-11-24-v42";

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T11:00:00Z"));
    private final FakeTrafficRouter target = new FakeTrafficRouter();
    private final List<DeploymentEvent> told = new ArrayList<>();
    private final TrafficControl traffic = new TrafficControl(target, new InMemoryTrafficLedger());
    private final FinalizeHandler handler =
            new FinalizeHandler(new FinalizeService(traffic, store, clock, 15, told::add));

    @BeforeEach
    void canaryIsTakingTraffic() {
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");
        traffic.deploy(SampleEvents.spec("finalize-promote.json"), PinnedSecrets.NONE);
        traffic.shift(SampleEvents.spec("finalize-promote.json"), 50);
        clock.advance(java.time.Duration.ofSeconds(95));
    }

    @Test
    void aPromotionIsToldWithHowLongTheDeploymentTook() {
        SampleEvents.invoke(handler, "finalize-promote.json");

        assertEquals(1, told.size());
        DeploymentEvent promoted = told.get(0);
        assertEquals(DeploymentEvent.Type.PROMOTED, promoted.type());
        assertEquals(95L, promoted.durationSeconds());
        assertEquals(100, promoted.canaryWeight());
        assertEquals(DEPLOYMENT + ":promoted", promoted.eventId());
    }

    @Test
    void aRollbackOnTheJudgesVerdictSaysVerdict() {
        SampleEvents.invoke(handler, "finalize-rollback.json");

        assertEquals(DeploymentEvent.Type.ROLLED_BACK, told.get(0).type());
        assertEquals(DeploymentEvent.RollbackReason.VERDICT, told.get(0).rollbackReason());
    }

    @Test
    void aRollbackAnOperatorAskedForSaysOperator() {
        store.requestOperatorAction(
                DEPLOYMENT, new OperatorRequest(OperatorRequest.Kind.ABORT, "alice", clock.instant(), "tickets"));

        SampleEvents.invoke(handler, "finalize-rollback.json");

        assertEquals(DeploymentEvent.RollbackReason.OPERATOR, told.get(0).rollbackReason());
    }

    @Test
    void aRollbackAfterAFailureIsToldAsFailed() {
        SampleEvents.invoke(handler, "finalize-rollback-after-failure.json");

        assertEquals(DeploymentEvent.Type.FAILED, told.get(0).type());
        assertEquals("FAILED", told.get(0).status());
        assertEquals(DeploymentEvent.RollbackReason.FAILURE, told.get(0).rollbackReason());
    }
}
