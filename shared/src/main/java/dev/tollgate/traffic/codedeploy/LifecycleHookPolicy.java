package dev.tollgate.traffic.codedeploy;

import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.TimelineEntry;
import java.util.List;

/**
 * How Tollgate answers a CodeDeploy lifecycle hook of one of its deployments, from the deployment's
 * record alone: a failing verdict, an abort or a rollback fails the hook (CodeDeploy then rolls
 * back); a promotion, by the judge or an operator, lets it succeed; before any production traffic
 * was judged (ECS's AfterAllowTestTraffic) there is nothing to object to; otherwise the hook waits,
 * parked on the record, until Tollgate's Promote or RollBack answers it.
 */
public final class LifecycleHookPolicy {

    private LifecycleHookPolicy() {}

    /** The answer, or that it must wait, and why. */
    public record HookDecision(Answer answer, String reason) {}

    public enum Answer {
        SUCCEEDED,
        FAILED,
        WAIT
    }

    public static HookDecision decide(DeploymentRecord record) {
        if (record.status() == DeploymentStatus.PROMOTED) {
            return new HookDecision(Answer.SUCCEEDED, "deployment " + record.deploymentId() + " was promoted");
        }
        if (record.status().finished()) {
            return new HookDecision(
                    Answer.FAILED,
                    "deployment " + record.deploymentId() + " ended " + record.status()
                            + (record.reason() == null ? "" : ": " + record.reason()));
        }
        OperatorRequest request = record.operatorRequest();
        if (request != null) {
            return request.kind() == OperatorRequest.Kind.ABORT
                    ? new HookDecision(Answer.FAILED, "aborted by " + request.requestedBy())
                    : new HookDecision(Answer.SUCCEEDED, "promoted by " + request.requestedBy());
        }
        List<TimelineEntry> timeline = record.timeline();
        TimelineEntry latestVerdict = null;
        boolean trafficJudged = false;
        for (TimelineEntry entry : timeline) {
            trafficJudged |= entry.entryId().startsWith(TimelineEntry.STEP_SHIFTED_PREFIX);
            if (entry.verdict() != null) {
                latestVerdict = entry;
            }
        }
        if (latestVerdict != null && "FAIL".equals(latestVerdict.verdict())) {
            return new HookDecision(Answer.FAILED, "the latest verdict is FAIL: " + latestVerdict.message());
        }
        if (!trafficJudged) {
            return new HookDecision(
                    Answer.SUCCEEDED,
                    "no production traffic has reached the release yet, so there is nothing to object to");
        }
        return new HookDecision(
                Answer.WAIT,
                "the judge has not decided yet"
                        + (latestVerdict == null ? "" : " (latest verdict " + latestVerdict.verdict() + ")")
                        + ": the hook waits for Tollgate's promotion or rollback");
    }
}
