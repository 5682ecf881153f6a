package dev.tollgate.traffic;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CODEDEPLOY release: the schedule CodeDeploy will follow (derived from the spec's steps), the
 * versions the AppSpec names (Lambda: the alias's current version and the target version; ECS: the
 * task definition), and, once created, CodeDeploy's deployment id.
 */
public record CodeDeployPlan(
        String deploymentId,
        String computePlatform,
        CodeDeploySchedule schedule,
        String baselineVersion,
        String canaryVersion,
        String codeDeployDeploymentId)
        implements ReleasePlan {

    @Override
    public Map<String, String> releaseNames() {
        Map<String, String> names = new LinkedHashMap<>();
        if (baselineVersion != null) {
            names.put("baselineVersion", baselineVersion);
        }
        if (canaryVersion != null) {
            names.put("canaryVersion", isLambda() ? canaryVersion : EcsAlbPlan.familyRevision(canaryVersion));
        }
        return names;
    }

    /** Whether the group deploys Lambda (not ECS); not part of the plan's JSON. */
    @JsonIgnore
    public boolean isLambda() {
        return "Lambda".equals(computePlatform);
    }

    public CodeDeployPlan withCanaryVersion(String version) {
        return new CodeDeployPlan(
                deploymentId, computePlatform, schedule, baselineVersion, version, codeDeployDeploymentId);
    }

    public CodeDeployPlan withDeployment(String id) {
        return new CodeDeployPlan(deploymentId, computePlatform, schedule, baselineVersion, canaryVersion, id);
    }
}
