package dev.tollgate.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.json.Nullable;

/**
 * A check of the canary at 0 % traffic, between "canary healthy" and the first shift: either the
 * team's own Lambda {@code function} (invoked with the deployment's facts and the canary's test
 * endpoint, answering PASS or FAIL with a reason) or Tollgate's HTTP {@code probe} of a path on that
 * endpoint. ECS_ALB reaches the canary through {@code testListenerArn}, a listener users do not call,
 * which Tollgate points at the canary's target group; LAMBDA_ALIAS through the new version's qualified
 * ARN. A failure rolls back before any user is touched. {@code timeoutSeconds}: how long a function
 * has to answer (null with a probe, which has its own per attempt).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SmokeTestSpec(
        @Nullable String function,
        @Nullable HttpProbeSpec probe,
        @Nullable String testListenerArn,
        @Nullable Integer timeoutSeconds) {

    /** Seconds a smoke-test function has to answer when the spec does not say. */
    public static final int DEFAULT_FUNCTION_TIMEOUT_SECONDS = 10;
    /**
     * The longest a function may take: Tollgate waits for it on one HTTP read, and its AWS clients give up on
     * a read after 20 s ({@code AwsClients}); a smoke test is a few requests, not a test suite.
     */
    public static final int MAX_FUNCTION_TIMEOUT_SECONDS = 15;

    /** Tollgate's own probe: {@code GET path} until a status in {@code expectedStatuses}, at most {@code attempts} times. */
    public record HttpProbeSpec(
            String path, java.util.List<Integer> expectedStatuses, int attempts, int timeoutSeconds) {

        public static final int DEFAULT_ATTEMPTS = 3;
        public static final int MAX_ATTEMPTS = 5;
        public static final int DEFAULT_TIMEOUT_SECONDS = 5;
        public static final int MAX_TIMEOUT_SECONDS = 8;
        /** Seconds between two attempts: a canary that just became healthy may still be warming up. At most 5 × 8 + 4 = 44 s in all. */
        public static final int PAUSE_SECONDS = 1;

        public HttpProbeSpec {
            expectedStatuses = java.util.List.copyOf(expectedStatuses);
        }
    }
}
