package dev.tollgate.traffic.codedeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.traffic.codedeploy.LifecycleHookPolicy.Answer;
import dev.tollgate.traffic.codedeploy.LifecycleHookPolicy.HookDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a CodeDeploy hook is answered from the deployment's record. */
class LifecycleHookPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private static DeploymentRecord record(DeploymentStatus status, OperatorRequest request, String... verdicts) {
        List<TimelineEntry> timeline = new ArrayList<>();
        timeline.add(new TimelineEntry(
                "canary-deployed", NOW, "DeployCanary", "created CodeDeploy deployment", null, 0, null));
        if (verdicts.length > 0) {
            timeline.add(new TimelineEntry("shift-0", NOW, "WatchTrafficShift", "step 1/2", 0, 10, null));
        }
        for (int i = 0; i < verdicts.length; i++) {
            timeline.add(
                    new TimelineEntry("tick-0-" + i, NOW, "Decide", "CONTINUE_BAKING: tick " + i, 0, 10, verdicts[i]));
        }
        return new DeploymentRecord(
                "checkout-v42", "checkout", "execution", status, NOW, null, "because", request, null, timeline);
    }

    @Test
    void letsTestTrafficPassBeforeAnyProductionTrafficWasJudged() {
        HookDecision decision = LifecycleHookPolicy.decide(record(DeploymentStatus.RUNNING, null));

        assertEquals(Answer.SUCCEEDED, decision.answer());
        assertTrue(decision.reason().contains("no production traffic"), decision.reason());
    }

    @Test
    void waitsWhileTheJudgeIsUndecidedOrPassingMidStep() {
        assertEquals(
                Answer.WAIT,
                LifecycleHookPolicy.decide(record(DeploymentStatus.RUNNING, null, "INCONCLUSIVE"))
                        .answer());
        assertEquals(
                Answer.WAIT,
                LifecycleHookPolicy.decide(record(DeploymentStatus.RUNNING, null, "INCONCLUSIVE", "PASS"))
                        .answer());
    }

    @Test
    void failsOnAFailingLatestVerdictAnAbortOrAnEndedDeployment() {
        assertEquals(
                Answer.FAILED,
                LifecycleHookPolicy.decide(record(DeploymentStatus.RUNNING, null, "PASS", "FAIL"))
                        .answer());
        assertEquals(
                Answer.FAILED,
                LifecycleHookPolicy.decide(record(
                                DeploymentStatus.RUNNING,
                                new OperatorRequest(OperatorRequest.Kind.ABORT, "alice", NOW, "bad smell"),
                                "PASS"))
                        .answer());
        assertEquals(
                Answer.FAILED,
                LifecycleHookPolicy.decide(record(DeploymentStatus.ROLLED_BACK, null, "FAIL"))
                        .answer());
    }

    @Test
    void succeedsOnAPromotionByTheJudgeOrAnOperator() {
        assertEquals(
                Answer.SUCCEEDED,
                LifecycleHookPolicy.decide(record(DeploymentStatus.PROMOTED, null, "PASS"))
                        .answer());
        assertEquals(
                Answer.SUCCEEDED,
                LifecycleHookPolicy.decide(record(
                                DeploymentStatus.RUNNING,
                                new OperatorRequest(OperatorRequest.Kind.PROMOTE, "bob", NOW, null),
                                "INCONCLUSIVE"))
                        .answer());
    }
}
