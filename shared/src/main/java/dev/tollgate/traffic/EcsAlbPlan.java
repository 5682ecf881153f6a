package dev.tollgate.traffic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ECS_ALB release: the side that serves traffic now and the side the release goes to, each a
 * service with its target group, and how many tasks the canary side runs (as many as the live side).
 */
public record EcsAlbPlan(
        String deploymentId,
        String liveSide,
        String liveService,
        String liveTargetGroupArn,
        String liveTaskDefinition,
        String canarySide,
        String canaryService,
        String canaryTargetGroupArn,
        String canaryTaskDefinition,
        int desiredCount)
        implements ReleasePlan {

    @Override
    public Map<String, String> releaseNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("canaryService", canaryService);
        names.put("baselineService", liveService);
        names.put("canaryTargetGroup", targetGroupDimension(canaryTargetGroupArn));
        names.put("baselineTargetGroup", targetGroupDimension(liveTargetGroupArn));
        names.put("canaryVersion", familyRevision(canaryTaskDefinition));
        if (liveTaskDefinition != null) {
            names.put("baselineVersion", familyRevision(liveTaskDefinition));
        }
        return names;
    }

    /** The same release on a task definition derived from the spec's (its secrets pinned). */
    public EcsAlbPlan withCanaryTaskDefinition(String taskDefinition) {
        return new EcsAlbPlan(
                deploymentId,
                liveSide,
                liveService,
                liveTargetGroupArn,
                liveTaskDefinition,
                canarySide,
                canaryService,
                canaryTargetGroupArn,
                taskDefinition,
                desiredCount);
    }

    /** CloudWatch's TargetGroup dimension is the ARN's last part: {@code targetgroup/name/id}. */
    static String targetGroupDimension(String targetGroupArn) {
        int start = targetGroupArn.indexOf("targetgroup/");
        return start < 0 ? targetGroupArn : targetGroupArn.substring(start);
    }

    /** {@code arn:...:task-definition/checkout:42} reads as {@code checkout:42}. */
    static String familyRevision(String taskDefinition) {
        return taskDefinition.substring(taskDefinition.lastIndexOf('/') + 1);
    }
}
