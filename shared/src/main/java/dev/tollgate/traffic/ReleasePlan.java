package dev.tollgate.traffic;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * What a backend worked out about one release before it changed anything: which side or version is
 * live (the baseline) and where the canary goes, plus what deploying it learnt (a published version,
 * a CodeDeploy deployment id). It is written to the deployment's record before the first change, so
 * every later call, and a rollback after a crash, acts on the same release.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EcsAlbPlan.class, name = "ECS_ALB"),
    @JsonSubTypes.Type(value = LambdaAliasPlan.class, name = "LAMBDA_ALIAS"),
    @JsonSubTypes.Type(value = CodeDeployPlan.class, name = "CODEDEPLOY"),
})
public sealed interface ReleasePlan permits EcsAlbPlan, LambdaAliasPlan, CodeDeployPlan {

    String deploymentId();

    /** What the spec's dimension placeholders resolve to ({@code canaryVersion -> 42}); only names known so far. */
    Map<String, String> releaseNames();
}
