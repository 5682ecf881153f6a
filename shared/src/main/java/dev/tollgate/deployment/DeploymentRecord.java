package dev.tollgate.deployment;

import dev.tollgate.decision.OperatorRequest;
import java.time.Instant;
import java.util.List;

/** A deployment as the deployments table holds it: who, when, where it stands, and its timeline. */
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
        List<TimelineEntry> timeline) {

    public DeploymentRecord {
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }
}
