package dev.tollgate.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryTrafficLedger;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules that make every traffic call safe, whatever the backend: plan first, guard shifts, roll back from anything. */
class TrafficControlTest {

    private final DeploymentSpec spec = SampleEvents.spec("shift-traffic.json");
    private final FakeTrafficRouter target = new FakeTrafficRouter();
    private final InMemoryTrafficLedger ledger = new InMemoryTrafficLedger();
    private final TrafficControl traffic = new TrafficControl(target, ledger);

    @Test
    void writesThePlanBeforeTheFirstChange() {
        ledger.crashOnSave(0);

        assertThrows(IllegalStateException.class, () -> traffic.deploy(spec, PinnedSecrets.NONE));

        assertEquals(List.of("plan"), target.calls(), "nothing was deployed without a plan on the record");
        TrafficOutcome outcome = traffic.rollback(spec);
        assertTrue(outcome.settled());
        assertTrue(outcome.detail().contains("no canary was deployed"), outcome.detail());
        assertEquals(List.of("plan"), target.calls(), "the rollback left the target alone");
    }

    @Test
    void aRetriedDeployReusesTheRecordedPlan() {
        ledger.crashOnSave(1);
        assertThrows(IllegalStateException.class, () -> traffic.deploy(spec, PinnedSecrets.NONE));

        CanaryDeployment deployed = traffic.deploy(spec, PinnedSecrets.NONE);

        assertEquals(List.of("plan", "deployCanary", "deployCanary"), target.calls());
        assertEquals("42", ((LambdaAliasPlan) deployed.plan()).canaryVersion());
        assertEquals(
                "42", ((LambdaAliasPlan) traffic.plan(spec)).canaryVersion(), "what deploying learnt is on the record");
    }

    @Test
    void shiftingTwiceLandsOnTheSameWeight() {
        traffic.deploy(spec, PinnedSecrets.NONE);

        assertEquals(TrafficWeights.canaryAt(25), traffic.shift(spec, 25));
        assertEquals(TrafficWeights.canaryAt(25), traffic.shift(spec, 25));
        assertEquals(25, ledger.find(spec.deploymentId()).orElseThrow().confirmedCanaryPercent());
    }

    @Test
    void aShiftRetriedAfterACrashBetweenTheWeightAndTheRecordCarriesOn() {
        traffic.deploy(spec, PinnedSecrets.NONE);
        traffic.shift(spec, 10);
        ledger.crashOnSave(1);

        assertThrows(IllegalStateException.class, () -> traffic.shift(spec, 25));
        assertEquals(
                25,
                target.weights().canaryPercent(),
                "the weight was set; the record still says 10 % (intending 25 %)");

        assertEquals(
                TrafficWeights.canaryAt(25), traffic.shift(spec, 25), "the retry accepts the weight it was setting");
        assertEquals(TrafficWeights.canaryAt(50), traffic.shift(spec, 50), "and the next step starts from it");
    }

    @Test
    void rollsBackAfterACrashBetweenTheWeightAndTheRecord() {
        traffic.deploy(spec, PinnedSecrets.NONE);
        ledger.crashOnSave(1);
        assertThrows(IllegalStateException.class, () -> traffic.shift(spec, 25));

        TrafficOutcome outcome = traffic.rollback(spec);

        assertEquals(TrafficWeights.canaryAt(0), outcome.weights());
        assertTrue(target.canaryStopped());
        assertEquals(0, ledger.find(spec.deploymentId()).orElseThrow().confirmedCanaryPercent());
    }

    @Test
    void refusesToShiftATargetChangedByHandAndSaysWhatItFound() {
        traffic.deploy(spec, PinnedSecrets.NONE);
        traffic.shift(spec, 10);
        target.handMoveTo(35);

        TargetStateConflictException conflict =
                assertThrows(TargetStateConflictException.class, () -> traffic.shift(spec, 25));

        assertEquals(
                "refusing to shift to 25 %: the target sends 35 % to the canary, but Tollgate last set 10 %; someone "
                        + "changed it by hand during the deployment. Found: baseline 65 % / canary 35 %",
                conflict.getMessage());
        assertEquals(35, target.weights().canaryPercent(), "nothing moved");
        assertThrows(TargetStateConflictException.class, () -> traffic.promote(spec), "nor is it promoted");
    }

    @Test
    void rollsBackEvenATargetChangedByHand() {
        traffic.deploy(spec, PinnedSecrets.NONE);
        traffic.shift(spec, 10);
        target.handMoveTo(80);

        assertEquals(TrafficWeights.canaryAt(0), traffic.rollback(spec).weights());
        assertEquals(TrafficWeights.canaryAt(0), traffic.rollback(spec).weights(), "a second rollback is harmless");
    }

    @Test
    void aPromotionRetriedAfterACrashBeforeItsRecordIsAccepted() {
        traffic.deploy(spec, PinnedSecrets.NONE);
        traffic.shift(spec, 50);
        ledger.crashOnSave(1);
        assertThrows(IllegalStateException.class, () -> traffic.promote(spec));

        TrafficOutcome outcome = traffic.promote(spec);

        assertTrue(outcome.settled());
        assertEquals(100, ledger.find(spec.deploymentId()).orElseThrow().confirmedCanaryPercent());
    }

    @Test
    void aTargetThatShiftsItselfIsWatchedAndItsPromotionPolledUntilSettled() {
        target.shiftingItself(2);
        traffic.deploy(spec, PinnedSecrets.NONE);
        target.handMoveTo(10);

        assertThrows(IllegalStateException.class, () -> traffic.shift(spec, 10), "Tollgate never sets its weights");
        assertEquals(TrafficWeights.canaryAt(10), traffic.watch(spec));
        assertFalse(traffic.promote(spec).settled());
        assertFalse(traffic.promote(spec).settled());
        assertEquals(
                0,
                ledger.find(spec.deploymentId()).orElseThrow().confirmedCanaryPercent(),
                "not recorded while moving");
        assertTrue(traffic.promote(spec).settled());
        assertEquals(100, ledger.find(spec.deploymentId()).orElseThrow().confirmedCanaryPercent());
    }
}
