package dev.tollgate.traffic;

/** The canary started at 0 %: the plan completed with what deploying learnt, and one line saying what was done. */
public record CanaryDeployment(ReleasePlan plan, String detail) {}
