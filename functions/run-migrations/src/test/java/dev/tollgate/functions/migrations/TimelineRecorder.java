package dev.tollgate.functions.migrations;

import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.LockHolder;
import dev.tollgate.deployment.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A deployment store that only records timeline entries: all RunMigrations writes. */
final class TimelineRecorder implements DeploymentStore {

    private final List<TimelineEntry> timeline;

    TimelineRecorder(List<TimelineEntry> timeline) {
        this.timeline = timeline;
    }

    @Override
    public void append(String deploymentId, TimelineEntry entry) {
        timeline.add(entry);
    }

    @Override
    public LockHolder acquire(String service, String deploymentId, String executionArn, Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void release(String service, String deploymentId, String executionArn) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<LockHolder> lockHolder(String service) {
        return Optional.empty();
    }

    @Override
    public Optional<DeploymentRecord> find(String deploymentId) {
        return Optional.empty();
    }

    @Override
    public void requestOperatorAction(String deploymentId, OperatorRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void awaitApproval(String deploymentId, int stepIndex, String taskToken) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<String> approvalToken(String deploymentId) {
        return Optional.empty();
    }

    @Override
    public void clearApproval(String deploymentId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void finish(String deploymentId, DeploymentStatus status, String reason, Instant at) {
        throw new UnsupportedOperationException();
    }
}
