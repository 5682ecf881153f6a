package dev.tollgate.ops;

import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.errors.DeploymentNotFoundException;
import java.util.List;
import java.util.Optional;

/**
 * What is kept about one deployment: its record (if the lock was ever taken) and its execution with
 * the whole history (if it was started); at least one of the two, or the deployment is unknown.
 * What {@code tollgate status} and {@code tollgate report} read.
 */
public record DeploymentFacts(
        String deploymentId,
        Optional<DeploymentRecord> record,
        String executionArn,
        Optional<ExecutionView> execution,
        List<ExecutionEvent> history) {

    public static DeploymentFacts find(DeploymentStore store, DeploymentExecutions executions, String deploymentId) {
        Optional<DeploymentRecord> record = store.find(deploymentId);
        String executionArn =
                record.map(DeploymentRecord::executionArn).orElseGet(() -> executions.executionArn(deploymentId));
        Optional<ExecutionView> execution = executions.describe(executionArn);
        if (record.isEmpty() && execution.isEmpty()) {
            throw new DeploymentNotFoundException("no deployment " + deploymentId
                    + ": no record in the deployments table and no " + "execution of that name");
        }
        List<ExecutionEvent> history = execution.isPresent() ? executions.history(executionArn) : List.of();
        return new DeploymentFacts(deploymentId, record, executionArn, execution, history);
    }
}
