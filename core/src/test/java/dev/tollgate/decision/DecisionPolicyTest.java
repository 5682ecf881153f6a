package dev.tollgate.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.spec.AnalysisSpec;
import dev.tollgate.spec.AnalysisSpec.InconclusivePolicy;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.EcsAlbTarget;
import dev.tollgate.spec.MigrationSpec;
import dev.tollgate.spec.StepSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionPolicyTest {

    private static final Instant STEP_STARTED = Instant.parse("2026-11-24T10:00:00Z");

    private final DecisionPolicy policy = new DecisionPolicy();

    private static DeploymentSpec spec(InconclusivePolicy onInconclusive, boolean approvalOnSecondStep) {
        return new DeploymentSpec(
                "checkout-v42",
                "checkout",
                new EcsAlbTarget("prod", "blue", "green", "listener", null, "blue-tg", "green-tg", "checkout:42", 900),
                List.of(),
                MigrationSpec.NONE,
                List.of(
                        new StepSpec(5, 300, 600, 500, false),
                        new StepSpec(50, 300, 600, 500, approvalOnSecondStep),
                        new StepSpec(100, 0, 0, 0, false)),
                new AnalysisSpec(60, List.of(), null, List.of("alarm"), 0.01, onInconclusive),
                false);
    }

    private static StepProgress step(int stepIndex) {
        return StepProgress.started(stepIndex, stepIndex == 0 ? 5 : 50, STEP_STARTED, 60);
    }

    private static StepVerdict verdict(Verdict verdict, boolean minimumSampleReached) {
        return new StepVerdict(verdict, "because", List.of(), minimumSampleReached, STEP_STARTED);
    }

    private Decision decideAt(DeploymentSpec spec, int stepIndex, StepVerdict verdict, long secondsIntoStep) {
        return policy.decide(
                spec, step(stepIndex), verdict, Optional.empty(), STEP_STARTED.plusSeconds(secondsIntoStep));
    }

    @Test
    void rollsBackOnAFailAtTheFirstTickWithoutWaitingForTheBake() {
        Decision decision = decideAt(spec(InconclusivePolicy.PAUSE, false), 0, verdict(Verdict.FAIL, false), 60);

        assertEquals(Action.ROLLBACK, decision.action());
        assertEquals("step 1/3 (5 %) failed: because", decision.reason());
        assertEquals(DecisionPolicy.JUDGE, decision.decidedBy());
    }

    @Test
    void keepsBakingAPassingStepUntilItsBakeTimeIsOver() {
        Decision decision = decideAt(spec(InconclusivePolicy.PAUSE, false), 0, verdict(Verdict.PASS, true), 240);

        assertEquals(Action.CONTINUE_BAKING, decision.action());
        assertTrue(decision.reason().startsWith("baking 240s of 300s"), decision.reason());
    }

    @Test
    void movesToTheNextStepOnceThePassingStepHasBaked() {
        Decision decision = decideAt(spec(InconclusivePolicy.PAUSE, false), 0, verdict(Verdict.PASS, true), 300);

        assertEquals(Action.NEXT_STEP, decision.action());
        assertEquals(1, decision.nextStepIndex());
    }

    @Test
    void neverPassesAStepWhoseMinimumSampleWasNotReached() {
        Decision decision = decideAt(spec(InconclusivePolicy.PAUSE, false), 0, verdict(Verdict.PASS, false), 310);

        assertEquals(Action.CONTINUE_BAKING, decision.action());
    }

    @Test
    void promotesWhenTheStepBeforeTheLastPasses() {
        Decision decision = decideAt(spec(InconclusivePolicy.PAUSE, false), 1, verdict(Verdict.PASS, true), 301);

        assertEquals(Action.PROMOTE, decision.action());
        assertEquals(2, decision.nextStepIndex());
    }

    @Test
    void waitsForApprovalAfterAPassingStepThatAsksForIt() {
        Decision decision = decideAt(spec(InconclusivePolicy.PAUSE, true), 1, verdict(Verdict.PASS, true), 301);

        assertEquals(Action.AWAIT_APPROVAL, decision.action());
        assertEquals(Action.PROMOTE, decision.onApproval(), "approving the last baked step promotes");
    }

    @Test
    void bakesOnWhileUndecidedUntilTheMaximumBake() {
        Decision decision =
                decideAt(spec(InconclusivePolicy.ROLLBACK, false), 0, verdict(Verdict.INCONCLUSIVE, false), 450);

        assertEquals(Action.CONTINUE_BAKING, decision.action());
        assertTrue(decision.reason().startsWith("bake time over but undecided"), decision.reason());
    }

    @Test
    void rollsBackAnUndecidedStepAtTheMaximumBakeWhenTheSpecSaysRollback() {
        Decision decision =
                decideAt(spec(InconclusivePolicy.ROLLBACK, false), 0, verdict(Verdict.INCONCLUSIVE, false), 600);

        assertEquals(Action.ROLLBACK, decision.action());
        assertTrue(decision.reason().startsWith("step 1/3 (5 %) undecided after 600s"), decision.reason());
    }

    @Test
    void pausesForAHumanAtTheMaximumBakeWhenTheSpecSaysPause() {
        Decision decision =
                decideAt(spec(InconclusivePolicy.PAUSE, false), 0, verdict(Verdict.INCONCLUSIVE, false), 600);

        assertEquals(Action.AWAIT_APPROVAL, decision.action());
        assertEquals(Action.NEXT_STEP, decision.onApproval());
        assertEquals(1, decision.nextStepIndex());
    }

    @Test
    void anOperatorAbortOverridesAPassingVerdict() {
        OperatorRequest abort = new OperatorRequest(OperatorRequest.Kind.ABORT, "alice", STEP_STARTED, null);

        Decision decision = policy.decide(
                spec(InconclusivePolicy.PAUSE, false),
                step(0),
                verdict(Verdict.PASS, true),
                Optional.of(abort),
                STEP_STARTED.plusSeconds(400));

        assertEquals(Action.ROLLBACK, decision.action());
        assertEquals("aborted by alice", decision.reason());
        assertEquals("alice", decision.decidedBy());
    }

    @Test
    void anOperatorPromotionSkipsTheRemainingSteps() {
        OperatorRequest promote = new OperatorRequest(OperatorRequest.Kind.PROMOTE, "bob", STEP_STARTED, "hotfix");

        Decision decision = policy.decide(
                spec(InconclusivePolicy.PAUSE, false),
                step(0),
                verdict(Verdict.INCONCLUSIVE, false),
                Optional.of(promote),
                STEP_STARTED.plusSeconds(30));

        assertEquals(Action.PROMOTE, decision.action());
        assertEquals("promoted by bob: hotfix", decision.reason());
        assertEquals(2, decision.nextStepIndex());
        assertNull(decision.onApproval());
    }
}
