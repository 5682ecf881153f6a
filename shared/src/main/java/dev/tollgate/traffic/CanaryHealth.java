package dev.tollgate.traffic;

/** Whether the canary is ready for traffic, and what was seen (running/desired counts, rollout state). */
public record CanaryHealth(boolean healthy, String detail) {}
