package dev.tollgate.fakes;

import dev.tollgate.traffic.TrafficLedger;
import dev.tollgate.traffic.TrafficRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The traffic side of the deployments table in memory; {@link #crashOnSave(int)} simulates a
 * function dying between an AWS call and the record write that should follow it.
 */
public final class InMemoryTrafficLedger implements TrafficLedger {

    private final Map<String, TrafficRecord> records = new HashMap<>();
    private final Map<String, Set<String>> hooks = new HashMap<>();
    private int savesBeforeCrash = -1;

    /** The save after {@code successfulSaves} more successful ones throws, once. */
    public InMemoryTrafficLedger crashOnSave(int successfulSaves) {
        this.savesBeforeCrash = successfulSaves;
        return this;
    }

    @Override
    public synchronized Optional<TrafficRecord> find(String deploymentId) {
        return Optional.ofNullable(records.get(deploymentId));
    }

    @Override
    public synchronized void save(String deploymentId, TrafficRecord record) {
        if (savesBeforeCrash == 0) {
            savesBeforeCrash = -1;
            throw new IllegalStateException("simulated crash before the traffic record was written");
        }
        if (savesBeforeCrash > 0) {
            savesBeforeCrash--;
        }
        records.put(deploymentId, record);
    }

    @Override
    public synchronized void parkLifecycleHook(String deploymentId, String hookExecutionId, Instant at) {
        hooks.computeIfAbsent(deploymentId, id -> new LinkedHashSet<>()).add(hookExecutionId);
    }

    @Override
    public synchronized List<String> parkedLifecycleHooks(String deploymentId) {
        return new ArrayList<>(hooks.getOrDefault(deploymentId, Set.of()));
    }

    @Override
    public synchronized void clearLifecycleHook(String deploymentId, String hookExecutionId) {
        hooks.getOrDefault(deploymentId, new LinkedHashSet<>()).remove(hookExecutionId);
    }
}
