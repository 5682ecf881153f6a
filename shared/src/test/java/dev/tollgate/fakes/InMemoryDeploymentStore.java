package dev.tollgate.fakes;

import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.LockHolder;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.DeploymentIdInUseException;
import dev.tollgate.errors.DeploymentNotRunningException;
import dev.tollgate.errors.LockHeldException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The deployments table in memory, with the same conditional rules as {@code DynamoDeploymentStore}. */
public final class InMemoryDeploymentStore implements DeploymentStore {

    private final Map<String, LockHolder> locks = new HashMap<>();
    private final Map<String, DeploymentRecord> records = new HashMap<>();
    private final Map<String, String> approvalTokens = new HashMap<>();
    private final Map<String, String> rollbackTokens = new HashMap<>();

    @Override
    public synchronized LockHolder acquire(String service, String deploymentId, String executionArn, Instant now) {
        DeploymentRecord existing = records.get(deploymentId);
        if (existing != null && !existing.executionArn().equals(executionArn)) {
            throw new DeploymentIdInUseException(
                    "deployment id " + deploymentId + " was already used by " + existing.executionArn());
        }
        if (existing == null) {
            records.put(
                    deploymentId,
                    new DeploymentRecord(
                            deploymentId,
                            service,
                            executionArn,
                            DeploymentStatus.RUNNING,
                            now,
                            null,
                            null,
                            null,
                            null,
                            List.of()));
        }
        LockHolder holder = locks.get(service);
        if (holder != null && !holder.executionArn().equals(executionArn)) {
            finish(deploymentId, DeploymentStatus.FAILED, "refused: locked by " + holder.deploymentId(), now);
            throw new LockHeldException("service " + service + " is locked by deployment " + holder.deploymentId());
        }
        LockHolder taken = holder != null ? holder : new LockHolder(service, deploymentId, executionArn, now);
        locks.put(service, taken);
        return taken;
    }

    @Override
    public synchronized void release(String service, String deploymentId, String executionArn) {
        LockHolder holder = locks.get(service);
        if (holder != null && holder.executionArn().equals(executionArn)) {
            locks.remove(service);
        }
    }

    @Override
    public synchronized Optional<LockHolder> lockHolder(String service) {
        return Optional.ofNullable(locks.get(service));
    }

    @Override
    public synchronized Optional<DeploymentRecord> find(String deploymentId) {
        return Optional.ofNullable(records.get(deploymentId));
    }

    @Override
    public synchronized void append(String deploymentId, TimelineEntry entry) {
        DeploymentRecord record = require(deploymentId);
        if (record.timeline().stream().anyMatch(existing -> existing.entryId().equals(entry.entryId()))) {
            return;
        }
        List<TimelineEntry> timeline = new ArrayList<>(record.timeline());
        timeline.add(entry);
        records.put(
                deploymentId,
                with(
                        record,
                        record.status(),
                        record.finishedAt(),
                        record.reason(),
                        record.operatorRequest(),
                        record.awaitingApprovalStep(),
                        timeline));
    }

    @Override
    public synchronized void requestOperatorAction(String deploymentId, OperatorRequest request) {
        DeploymentRecord record = require(deploymentId);
        if (record.status() != DeploymentStatus.RUNNING) {
            throw new DeploymentNotRunningException("deployment " + deploymentId + " is not running");
        }
        records.put(
                deploymentId,
                with(
                        record,
                        record.status(),
                        record.finishedAt(),
                        record.reason(),
                        request,
                        record.awaitingApprovalStep(),
                        record.timeline()));
    }

    @Override
    public synchronized void awaitApproval(String deploymentId, int stepIndex, String taskToken) {
        DeploymentRecord record = require(deploymentId);
        approvalTokens.put(deploymentId, taskToken);
        records.put(
                deploymentId,
                with(
                        record,
                        record.status(),
                        record.finishedAt(),
                        record.reason(),
                        record.operatorRequest(),
                        stepIndex,
                        record.timeline()));
    }

    @Override
    public synchronized Optional<String> approvalToken(String deploymentId) {
        return Optional.ofNullable(approvalTokens.get(deploymentId));
    }

    @Override
    public synchronized void clearApproval(String deploymentId) {
        DeploymentRecord record = require(deploymentId);
        approvalTokens.remove(deploymentId);
        records.put(
                deploymentId,
                with(
                        record,
                        record.status(),
                        record.finishedAt(),
                        record.reason(),
                        record.operatorRequest(),
                        null,
                        record.timeline()));
    }

    @Override
    public synchronized void openRollbackWindow(String deploymentId, Instant until, String taskToken) {
        DeploymentRecord record = require(deploymentId);
        if (record.status() != DeploymentStatus.RUNNING) {
            throw new DeploymentNotRunningException(
                    "deployment " + deploymentId + " is not running, so it has no rollback window");
        }
        rollbackTokens.put(deploymentId, taskToken);
        records.put(
                deploymentId,
                new DeploymentRecord(
                        record.deploymentId(),
                        record.service(),
                        record.executionArn(),
                        record.status(),
                        record.startedAt(),
                        record.finishedAt(),
                        record.reason(),
                        record.operatorRequest(),
                        record.awaitingApprovalStep(),
                        record.timeline(),
                        until));
    }

    @Override
    public synchronized Optional<String> rollbackToken(String deploymentId) {
        return Optional.ofNullable(rollbackTokens.get(deploymentId));
    }

    @Override
    public synchronized void finish(String deploymentId, DeploymentStatus status, String reason, Instant at) {
        DeploymentRecord record = require(deploymentId);
        if (record.status() != DeploymentStatus.RUNNING) {
            return;
        }
        approvalTokens.remove(deploymentId);
        rollbackTokens.remove(deploymentId);
        records.put(deploymentId, with(record, status, at, reason, record.operatorRequest(), null, record.timeline()));
    }

    @Override
    public synchronized List<DeploymentRecord> recent(int limit) {
        return records.values().stream()
                .sorted(Comparator.comparing(DeploymentRecord::startedAt).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<DeploymentRecord> latestWithRollbackWindow(String service) {
        return records.values().stream()
                .filter(record -> service.equals(record.service()) && record.rollbackWindowUntil() != null)
                .max(Comparator.comparing(DeploymentRecord::startedAt));
    }

    /** The deployment's timeline so far, empty when it has no record. */
    public synchronized List<TimelineEntry> timeline(String deploymentId) {
        return find(deploymentId).map(DeploymentRecord::timeline).orElse(List.of());
    }

    /** A record to write to, as the Lock state would have created it. */
    public InMemoryDeploymentStore withRunningDeployment(String service, String deploymentId) {
        acquire(service, deploymentId, "execution-" + deploymentId, Instant.parse("2026-11-24T10:00:00Z"));
        return this;
    }

    private DeploymentRecord require(String deploymentId) {
        DeploymentRecord record = records.get(deploymentId);
        if (record == null) {
            throw new DeploymentNotRunningException("deployment " + deploymentId + " has no record");
        }
        return record;
    }

    private static DeploymentRecord with(
            DeploymentRecord record,
            DeploymentStatus status,
            Instant finishedAt,
            String reason,
            OperatorRequest request,
            Integer awaitingApprovalStep,
            List<TimelineEntry> timeline) {
        return new DeploymentRecord(
                record.deploymentId(),
                record.service(),
                record.executionArn(),
                status,
                record.startedAt(),
                finishedAt,
                reason,
                request,
                awaitingApprovalStep,
                timeline,
                record.rollbackWindowUntil());
    }
}
