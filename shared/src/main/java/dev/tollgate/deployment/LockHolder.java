package dev.tollgate.deployment;

import java.time.Instant;

/** Who holds a service's deployment lock, and since when. */
public record LockHolder(String service, String deploymentId, String executionArn, Instant acquiredAt) {}
