package dev.tollgate.deployment;

import java.time.Instant;

/**
 * One line of a deployment's history on its record: what happened, at which step and weight, and
 * the verdict when there was one. {@code entryId} makes appends idempotent when a task is retried.
 */
public record TimelineEntry(
        String entryId,
        Instant at,
        String state,
        String message,
        Integer stepIndex,
        Integer canaryWeight,
        String verdict) {

    /**
     * Entry ids of started steps: {@code shift-<stepIndex>}. The CodeDeploy lifecycle hook reads them to know the
     * shifted traffic is being judged.
     */
    public static final String STEP_SHIFTED_PREFIX = "shift-";
}
