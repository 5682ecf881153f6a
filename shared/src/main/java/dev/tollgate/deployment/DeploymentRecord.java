package dev.tollgate.deployment;

import dev.tollgate.decision.OperatorRequest;
import java.time.Instant;
import java.util.List;

/**
 * A deployment as the deployments table holds it: who, when, where it stands, and its timeline.
 * {@code rollbackWindowUntil} is set once the promotion opened a rollback window, and says when it closes.
 */
public record DeploymentRecord(
        String deploymentId,
        String service,
        String executionArn,
        DeploymentStatus status,
        Instant startedAt,
        Instant finishedAt,
        String reason,
        OperatorRequest operatorRequest,
        Integer awaitingApprovalStep,
        List<TimelineEntry> timeline,
        Instant rollbackWindowUntil) {

    public DeploymentRecord {
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    /** A record without a rollback window. */
    public DeploymentRecord(
            String deploymentId,
            String service,
            String executionArn,
            DeploymentStatus status,
            Instant startedAt,
            Instant finishedAt,
            String reason,
            OperatorRequest operatorRequest,
            Integer awaitingApprovalStep,
            List<TimelineEntry> timeline) {
        this(
                deploymentId,
                service,
                executionArn,
                status,
                startedAt,
                finishedAt,
                reason,
                operatorRequest,
                awaitingApprovalStep,
                timeline,
                null);
    }

    /** Whether the promotion keeps the old version able to serve, and {@code tollgate rollback} can use it, at {@code now}. */
    public boolean rollbackWindowOpen(Instant now) {
        return status == DeploymentStatus.RUNNING && rollbackWindowUntil != null && now.isBefore(rollbackWindowUntil);
    }
}
