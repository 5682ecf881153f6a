package dev.tollgate.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What the release is rolled out to; the {@code type} field picks the traffic backend. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EcsAlbTarget.class, name = "ECS_ALB"),
    @JsonSubTypes.Type(value = LambdaAliasTarget.class, name = "LAMBDA_ALIAS"),
    @JsonSubTypes.Type(value = CodeDeployTarget.class, name = "CODEDEPLOY"),
})
public sealed interface Target permits EcsAlbTarget, LambdaAliasTarget, CodeDeployTarget {

    /** Seconds Tollgate waits for the canary to become healthy before it gives up and rolls back. */
    int healthTimeoutSeconds();

    /** Seconds the old version keeps serving in-flight requests after a promotion before it is stopped; 0 when nothing is stopped. */
    default int drainSeconds() {
        return 0;
    }
}
