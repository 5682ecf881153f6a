package dev.tollgate.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What the release is rolled out to; the {@code type} field picks the traffic backend. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = EcsAlbTarget.class, name = "ECS_ALB"),
})
public sealed interface Target permits EcsAlbTarget {

    /** Seconds Tollgate waits for the canary to become healthy before it gives up and rolls back. */
    int healthTimeoutSeconds();
}
