package dev.tollgate.smoke;

import java.time.Instant;

/**
 * The smoke test's outcome as the state machine carries it and the record keeps it: {@code passed}
 * only on a clear pass (a PASS answer, an expected status); every error, timeout or unreadable answer
 * is a failure. {@code reason} says what was seen, in one line, without secret values (the
 * function's own reason is cut to {@value SmokeTestService#MAX_REASON_CHARS} characters).
 */
public record SmokeTestResult(
        boolean passed, String form, String endpoint, String reason, int attempts, Instant testedAt) {}
