package dev.tollgate.spec;

/**
 * One traffic step. {@code canaryWeight} is the percentage of traffic on the new version. A step
 * passes no earlier than {@code bakeSeconds}; while the judge stays undecided it may bake on until
 * {@code maxBakeSeconds}. The final step (100 %) is the promotion and has no bake of its own.
 */
public record StepSpec(int weight, int bakeSeconds, int maxBakeSeconds, long minRequests, boolean approval) {

    public boolean isPromotion() {
        return weight == 100;
    }
}
