package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.DeploymentIdInUseException;
import dev.tollgate.errors.DeploymentNotRunningException;
import dev.tollgate.errors.LockHeldException;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The deployments table's conditional writes, as DynamoDB (here moto) enforces them. */
class DynamoDeploymentStoreIT {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static DynamoDeploymentStore store;

    @BeforeAll
    static void table() {
        store = new DynamoDeploymentStore(
                SharedLocalStack.get().clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
    }

    @Test
    void oneDeploymentPerServiceAtATime() {
        store.acquire("store-a", "store-a-1", "execution-a-1", NOW);
        store.acquire("store-a", "store-a-1", "execution-a-1", NOW);

        LockHeldException held = assertThrows(
                LockHeldException.class, () -> store.acquire("store-a", "store-a-2", "execution-a-2", NOW));
        assertTrue(
                held.getMessage()
                        .contains(
                                "locked by deployment store-a-1 (execution execution-a-1, since 2026-11-24T10:00:00Z)"),
                held.getMessage());
        assertEquals(
                DeploymentStatus.FAILED, store.find("store-a-2").orElseThrow().status());

        store.release("store-a", "store-a-2", "execution-a-2");
        assertEquals("store-a-1", store.lockHolder("store-a").orElseThrow().deploymentId(), "only the holder releases");
        store.release("store-a", "store-a-1", "execution-a-1");
        store.acquire("store-a", "store-a-3", "execution-a-3", NOW);
        assertEquals("store-a-3", store.lockHolder("store-a").orElseThrow().deploymentId());
    }

    @Test
    void aDeploymentIdBelongsToOneExecution() {
        store.acquire("store-b", "store-b-1", "execution-b-1", NOW);
        store.release("store-b", "store-b-1", "execution-b-1");

        assertThrows(
                DeploymentIdInUseException.class,
                () -> store.acquire("store-b", "store-b-1", "execution-b-other", NOW));
    }

    @Test
    void timelineAppendsAreIdempotentAndTheFirstOutcomeStands() {
        store.acquire("store-c", "store-c-1", "execution-c-1", NOW);
        TimelineEntry entry = new TimelineEntry("shift-0", NOW, "ShiftTraffic", "step 1/3: 10 %", 0, 10, null);
        store.append("store-c-1", entry);
        store.append("store-c-1", entry);
        store.finish("store-c-1", DeploymentStatus.ROLLED_BACK, "judge said so", NOW);
        store.finish("store-c-1", DeploymentStatus.PROMOTED, "too late", NOW);

        DeploymentRecord record = store.find("store-c-1").orElseThrow();
        assertEquals(1, record.timeline().size(), "the retried append is not written twice");
        assertEquals(DeploymentStatus.ROLLED_BACK, record.status());
        assertEquals("judge said so", record.reason());
    }

    @Test
    void operatorRequestsReachOnlyRunningDeployments() {
        store.acquire("store-d", "store-d-1", "execution-d-1", NOW);
        store.requestOperatorAction(
                "store-d-1", new OperatorRequest(OperatorRequest.Kind.ABORT, "bob", NOW, "bad smell"));
        assertEquals(
                "bob", store.find("store-d-1").orElseThrow().operatorRequest().requestedBy());

        store.finish("store-d-1", DeploymentStatus.ROLLED_BACK, "aborted", NOW);
        assertThrows(
                DeploymentNotRunningException.class,
                () -> store.requestOperatorAction(
                        "store-d-1", new OperatorRequest(OperatorRequest.Kind.PROMOTE, "bob", NOW, null)));
    }

    @Test
    void approvalTokensAreParkedAndCleared() {
        store.acquire("store-e", "store-e-1", "execution-e-1", NOW);
        store.awaitApproval("store-e-1", 2, "token-123");
        assertEquals("token-123", store.approvalToken("store-e-1").orElseThrow());
        assertEquals(2, store.find("store-e-1").orElseThrow().awaitingApprovalStep());

        store.clearApproval("store-e-1");
        assertTrue(store.approvalToken("store-e-1").isEmpty());
    }
}
