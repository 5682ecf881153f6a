package dev.tollgate.bench;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One judge's decision on one scenario (judge-scenarios/FORMAT.md); {@code period} is absent when undecided. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(String scenario, String judge, Decision decision, Integer period) {

    public enum Decision {
        ROLLBACK,
        PROMOTE,
        UNDECIDED
    }
}
