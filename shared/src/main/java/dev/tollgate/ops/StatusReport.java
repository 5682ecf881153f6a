package dev.tollgate.ops;

import dev.tollgate.deployment.DeploymentRecord;
import java.util.List;
import java.util.Optional;

/**
 * What {@code tollgate status} shows: the deployment's record (absent when the request was refused
 * before the lock), its execution, where the rollout stands, and the history told line by line.
 */
public record StatusReport(
        String deploymentId,
        Optional<DeploymentRecord> record,
        Optional<ExecutionView> execution,
        RolloutProgress progress,
        List<String> history) {

    public StatusReport {
        history = List.copyOf(history);
    }
}
