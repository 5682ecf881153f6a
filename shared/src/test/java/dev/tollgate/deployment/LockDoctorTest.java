package dev.tollgate.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.errors.LockBreakRefusedException;
import dev.tollgate.errors.LockHeldException;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LockDoctorTest {

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final Map<String, String> statuses = new HashMap<>();
    private final LockDoctor doctor = new LockDoctor(
            store,
            arn -> Optional.ofNullable(statuses.get(arn)),
            new MutableClock(Instant.parse("2026-11-24T12:00:00Z")));

    @BeforeEach
    void aDeploymentHoldsTheLock() {
        store.acquire("checkout", "checkout-v42", "execution-42", Instant.parse("2026-11-24T10:00:00Z"));
    }

    @Test
    void aLockWhoseExecutionFailedIsStale() {
        statuses.put("execution-42", "FAILED");

        LockDoctor.LockStatus status = doctor.inspect("checkout").orElseThrow();

        assertTrue(status.stale());
        assertTrue(status.describe().contains("STALE"), status.describe());
    }

    @Test
    void aLockWhoseExecutionRunsIsNotStale() {
        statuses.put("execution-42", "RUNNING");

        assertEquals(false, doctor.inspect("checkout").orElseThrow().stale());
    }

    @Test
    void breaksAStaleLockWhenAskedAndRecordsWhoAndWhy() {
        statuses.put("execution-42", "FAILED");

        doctor.breakLock("checkout", "checkout-v42", "alice", "execution crashed in ReleaseLockAfterRollback", false);

        assertTrue(store.lockHolder("checkout").isEmpty());
        assertTrue(store.find("checkout-v42").orElseThrow().timeline().stream()
                .anyMatch(entry -> entry.message()
                        .equals("lock of checkout broken by alice (execution was FAILED): "
                                + "execution crashed in ReleaseLockAfterRollback")));
    }

    @Test
    void refusesToBreakTheLockOfARunningExecutionUnlessForced() {
        statuses.put("execution-42", "RUNNING");

        assertThrows(
                LockBreakRefusedException.class,
                () -> doctor.breakLock("checkout", "checkout-v42", "alice", "stuck", false));
        assertTrue(store.lockHolder("checkout").isPresent());

        doctor.breakLock("checkout", "checkout-v42", "alice", "stuck for two days", true);
        assertTrue(store.lockHolder("checkout").isEmpty());
    }

    @Test
    void refusesToBreakALockHeldByAnotherDeploymentThanTheOneNamed() {
        statuses.put("execution-42", "FAILED");

        LockHeldException wrong = assertThrows(
                LockHeldException.class, () -> doctor.breakLock("checkout", "checkout-v41", "alice", "old", false));
        assertTrue(wrong.getMessage().contains("held by checkout-v42, not checkout-v41"), wrong.getMessage());
    }

    @Test
    void refusesABreakWithoutAReason() {
        statuses.put("execution-42", "FAILED");

        assertThrows(
                LockBreakRefusedException.class,
                () -> doctor.breakLock("checkout", "checkout-v42", "alice", " ", false));
    }
}
