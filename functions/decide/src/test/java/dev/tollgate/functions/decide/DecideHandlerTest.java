package dev.tollgate.functions.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.DecisionService;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.LockService;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecideHandlerTest {

    private static final String DEPLOYMENT = "checkout-2026-11-24-v42";

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:25:30Z"));
    private final DecideHandler handler = new DecideHandler(new DecisionService(store, new DecisionPolicy(), clock));

    @BeforeEach
    void deploymentIsRecorded() {
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");
    }

    @Test
    void movesToTheNextStepWhenTheStepPassedAfterItsBakeTime() {
        JsonNode decision = SampleEvents.invoke(handler, "decide.json");

        assertEquals("NEXT_STEP", decision.path("action").asText(), decision.toString());
        assertEquals(2, decision.path("nextStepIndex").asInt());
        assertTrue(decision.path("reason").asText().startsWith("step 2/4 (25 %) passed"), decision.toString());
    }

    @Test
    void rollsBackAtTheNextTickWhenAnOperatorAborted() {
        store.requestOperatorAction(DEPLOYMENT, new OperatorRequest(OperatorRequest.Kind.ABORT, "alice", clock.instant(), "pager"));

        JsonNode decision = SampleEvents.invoke(handler, "decide.json");

        assertEquals("ROLLBACK", decision.path("action").asText());
        assertEquals("aborted by alice: pager", decision.path("reason").asText());
        assertEquals("alice", decision.path("decidedBy").asText());
    }

    @Test
    void recordsABakingTickOnlyWhenItsVerdictChanges() {
        String inconclusive = SampleEvents.read("decide.json").replace("\"verdict\": \"PASS\"", "\"verdict\": \"INCONCLUSIVE\"");
        clock.advance(java.time.Duration.ofSeconds(-120));
        SampleEvents.invokeWith(handler, inconclusive);
        SampleEvents.invokeWith(handler, inconclusive.replace("10:25:30Z", "10:26:30Z"));
        SampleEvents.invokeWith(handler, inconclusive.replace("10:25:30Z", "10:27:30Z"));

        assertEquals(1, store.find(DEPLOYMENT).orElseThrow().timeline().stream().filter(entry -> entry.state().equals("Decide")).count(),
                "three INCONCLUSIVE ticks that only bake on make one entry");
    }

    @Test
    void recordsTheDecisionOnTheTimelineOncePerTick() {
        SampleEvents.invoke(handler, "decide.json");
        SampleEvents.invoke(handler, "decide.json");

        assertEquals(1, store.find(DEPLOYMENT).orElseThrow().timeline().stream().filter(entry -> entry.state().equals("Decide")).count());
    }
}
