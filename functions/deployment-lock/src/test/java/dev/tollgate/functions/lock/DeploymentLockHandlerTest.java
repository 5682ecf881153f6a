package dev.tollgate.functions.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.LockHeldException;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeploymentLockHandlerTest {

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final DeploymentLockHandler handler =
            new DeploymentLockHandler(new LockService(store, new MutableClock(Instant.parse("2026-11-24T10:00:00Z"))));

    @Test
    void takesTheLockAndCreatesTheRecord() {
        SampleEvents.invoke(handler, "deployment-lock-acquire.json");

        assertEquals(
                "checkout-2026-11-24-v42",
                store.lockHolder("checkout").orElseThrow().deploymentId());
        assertEquals(
                DeploymentStatus.RUNNING,
                store.find("checkout-2026-11-24-v42").orElseThrow().status());
    }

    @Test
    void takingTheLockTwiceFromTheSameExecutionIsHarmless() {
        SampleEvents.invoke(handler, "deployment-lock-acquire.json");
        SampleEvents.invoke(handler, "deployment-lock-acquire.json");

        assertEquals(
                1,
                store.find("checkout-2026-11-24-v42").orElseThrow().timeline().size(),
                "one Lock entry, not two");
    }

    @Test
    void refusesASecondDeploymentOfTheServiceNamingTheHolder() {
        SampleEvents.invoke(handler, "deployment-lock-acquire.json");
        String second = SampleEvents.read("deployment-lock-acquire.json")
                .replace("checkout-2026-11-24-v42\"", "checkout-2026-11-24-v43\"")
                .replace(":checkout-2026-11-24-v42", ":checkout-2026-11-24-v43");

        LockHeldException held = assertThrows(LockHeldException.class, () -> SampleEvents.invokeWith(handler, second));

        assertTrue(held.getMessage().contains("locked by deployment checkout-2026-11-24-v42"), held.getMessage());
        assertEquals(
                DeploymentStatus.FAILED,
                store.find("checkout-2026-11-24-v43").orElseThrow().status(),
                "the refused deployment's record says it was refused");
    }

    @Test
    void releasesTheLockSoTheNextDeploymentCanStart() {
        SampleEvents.invoke(handler, "deployment-lock-acquire.json");
        SampleEvents.invoke(handler, "deployment-lock-release.json");
        SampleEvents.invoke(handler, "deployment-lock-release.json");

        assertTrue(store.lockHolder("checkout").isEmpty());
    }
}
