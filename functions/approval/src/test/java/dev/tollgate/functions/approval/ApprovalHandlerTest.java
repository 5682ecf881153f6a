package dev.tollgate.functions.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.deployment.LockService;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApprovalHandlerTest {

    @Test
    void parksTheTaskTokenOnTheDeploymentRecord() {
        InMemoryDeploymentStore store = new InMemoryDeploymentStore();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T11:00:00Z"));
        new LockService(store, clock).acquire("checkout", "checkout-2026-11-24-v42", "execution-1");

        SampleEvents.invoke(new ApprovalHandler(store, clock), "approval.json");

        assertEquals("AQCEAAAAKgAAAAMAAAAAAAAAAeXample+TaskToken==", store.approvalToken("checkout-2026-11-24-v42").orElseThrow());
        assertEquals(3, store.find("checkout-2026-11-24-v42").orElseThrow().awaitingApprovalStep());
    }
}
