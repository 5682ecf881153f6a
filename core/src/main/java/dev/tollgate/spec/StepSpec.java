package dev.tollgate.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One traffic step. {@code weight} is the percentage of traffic on the new version. A step
 * passes no earlier than {@code bakeSeconds}; while the judge stays undecided it may bake on until
 * {@code maxBakeSeconds}. The final step (100 %) is the promotion and has no bake of its own.
 */
public record StepSpec(int weight, int bakeSeconds, int maxBakeSeconds, long minRequests, boolean approval) {

    /** True for the final step. Derived from the weight, so kept out of the JSON: a normalised spec must validate to itself. */
    @JsonIgnore
    public boolean isPromotion() {
        return weight == 100;
    }
}
