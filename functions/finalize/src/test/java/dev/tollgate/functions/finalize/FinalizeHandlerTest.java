package dev.tollgate.functions.finalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.FinalizeService;
import dev.tollgate.deployment.LockService;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FinalizeHandlerTest {

    private static final String DEPLOYMENT = "checkout-2026-11-24-v42";

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T11:00:00Z"));
    private final FakeTrafficRouter target = new FakeTrafficRouter();
    private final FinalizeHandler handler = new FinalizeHandler(new FinalizeService(target, store, clock));

    @BeforeEach
    void canaryIsTakingTraffic() {
        new LockService(store, clock).acquire("checkout", DEPLOYMENT, "execution-1");
        target.deployCanary();
        target.shift(50);
    }

    @Test
    void promotionSendsAllTrafficToTheNewVersionAndRecordsIt() {
        JsonNode outcome = SampleEvents.invoke(handler, "finalize-promote.json");

        assertEquals(100, target.weights().canaryPercent());
        assertEquals("PROMOTED", outcome.path("status").asText());
        assertEquals(DeploymentStatus.PROMOTED, store.find(DEPLOYMENT).orElseThrow().status());
    }

    @Test
    void rollbackOnAVerdictRestoresTheOldVersionAndSaysWhy() {
        JsonNode outcome = SampleEvents.invoke(handler, "finalize-rollback.json");

        assertEquals(0, target.weights().canaryPercent());
        assertTrue(target.canaryStopped());
        assertEquals("ROLLED_BACK", outcome.path("status").asText());
        DeploymentRecord record = store.find(DEPLOYMENT).orElseThrow();
        assertTrue(record.reason().contains("error-rate: regression: canary 3.1%"), record.reason());
    }

    @Test
    void rollbackAfterAFailureEndsFailedWithTheErrorInPlainWords() {
        JsonNode outcome = SampleEvents.invoke(handler, "finalize-rollback-after-failure.json");

        assertEquals(0, target.weights().canaryPercent());
        assertEquals("FAILED", outcome.path("status").asText());
        assertEquals("failed with CanaryUnhealthy: canary not healthy 905s after deployment (limit 900s): running 1/2 tasks",
                outcome.path("reason").asText());
    }

    @Test
    void aRetriedRollbackKeepsTheFirstOutcome() {
        SampleEvents.invoke(handler, "finalize-rollback.json");
        SampleEvents.invoke(handler, "finalize-rollback-after-failure.json");

        assertEquals(DeploymentStatus.ROLLED_BACK, store.find(DEPLOYMENT).orElseThrow().status());
        assertEquals(0, target.weights().canaryPercent());
    }

    @Test
    void anAbortAtTheApprovalGateKeepsWhoAbortedAndWhy() {
        String event = SampleEvents.read("finalize-rollback.json");
        com.fasterxml.jackson.databind.node.ObjectNode request = (com.fasterxml.jackson.databind.node.ObjectNode) dev.tollgate.json.Json.tree(event);
        request.putObject("rollback").put("cause", "DECISION").put("reason", "approval refused").put("error", "Aborted")
                .put("errorCause", "aborted by alice: wrong build");

        JsonNode outcome = SampleEvents.invokeWith(handler, dev.tollgate.json.Json.write(request));

        assertEquals("ROLLED_BACK", outcome.path("status").asText());
        assertEquals("approval refused: aborted by alice: wrong build", outcome.path("reason").asText());
    }
}
