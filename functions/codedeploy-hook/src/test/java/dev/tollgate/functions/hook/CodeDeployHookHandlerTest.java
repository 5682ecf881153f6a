package dev.tollgate.functions.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deployment.LockService;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.fakes.FakeCodeDeploy;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryTrafficLedger;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.traffic.codedeploy.CodeDeployHooks;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codedeploy.model.DeploymentCreator;

class CodeDeployHookHandlerTest {

    private static final String CODEDEPLOY_ID = "d-7EXAMPLE1";
    private static final String HOOK = "eyJlbmNyeXB0ZWREYXRhIjoiZXhhbXBsZSJ9";
    private static final String DEPLOYMENT = "checkout-2026-11-24-v42";

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final InMemoryTrafficLedger ledger = new InMemoryTrafficLedger();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:05:00Z"));
    private final FakeCodeDeploy codeDeploy =
            new FakeCodeDeploy().deployment(CODEDEPLOY_ID, "Tollgate deployment " + DEPLOYMENT, DeploymentCreator.USER);
    private final CodeDeployHookHandler handler =
            new CodeDeployHookHandler(new CodeDeployHooks(codeDeploy, store, ledger, clock));

    private void judged(String verdict) {
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");
        store.append(
                DEPLOYMENT,
                new TimelineEntry("shift-0", clock.instant(), "WatchTrafficShift", "step 1/2", 0, 10, null));
        store.append(DEPLOYMENT, new TimelineEntry("tick-0-1", clock.instant(), "Decide", "verdict", 0, 10, verdict));
    }

    @Test
    void failsTheHookOnAFailingVerdictSoCodeDeployRollsBack() {
        judged("FAIL");

        JsonNode result = SampleEvents.invoke(handler, "codedeploy-hook.json");

        assertEquals("FAILED", result.path("answer").asText());
        assertEquals(DEPLOYMENT, result.path("deploymentId").asText());
        assertEquals(Map.of(HOOK, "Failed"), codeDeploy.answers());
    }

    @Test
    void parksTheHookWhileTheJudgeIsStillDeciding() {
        judged("INCONCLUSIVE");

        JsonNode result = SampleEvents.invoke(handler, "codedeploy-hook.json");

        assertEquals("PARKED", result.path("answer").asText());
        assertEquals(Map.of(), codeDeploy.answers(), "CodeDeploy waits");
        assertEquals(
                List.of(HOOK), ledger.parkedLifecycleHooks(DEPLOYMENT), "for Tollgate's Promote or RollBack to answer");
    }

    @Test
    void neverHoldsUpARollbackDeployment() {
        FakeCodeDeploy rollbacks =
                new FakeCodeDeploy().deployment(CODEDEPLOY_ID, null, DeploymentCreator.CODE_DEPLOY_ROLLBACK);
        CodeDeployHookHandler handler = new CodeDeployHookHandler(new CodeDeployHooks(rollbacks, store, ledger, clock));

        JsonNode result = SampleEvents.invoke(handler, "codedeploy-hook.json");

        assertEquals("SUCCEEDED", result.path("answer").asText());
        assertEquals(Map.of(HOOK, "Succeeded"), rollbacks.answers());
    }

    @Test
    void answersAgainWithoutFailingWhenTollgateAnsweredFirst() {
        judged("FAIL");
        SampleEvents.invoke(handler, "codedeploy-hook.json");

        JsonNode again = SampleEvents.invoke(handler, "codedeploy-hook.json");

        assertEquals("FAILED", again.path("answer").asText());
    }

    @Test
    void refusesAnEventWithoutItsHookExecution() {
        BadRequestException bad = assertThrows(
                BadRequestException.class, () -> SampleEvents.invokeWith(handler, "{\"DeploymentId\": \"d-1\"}"));

        assertTrue(bad.getMessage().contains("LifecycleEventHookExecutionId"), bad.getMessage());
    }
}
