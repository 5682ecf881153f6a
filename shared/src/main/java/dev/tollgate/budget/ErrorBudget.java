package dev.tollgate.budget;

/**
 * The live version's error budget over the SLO window: how much of it the observed errors used.
 * {@code remaining} is 1 for an untouched budget, 0 when spent, negative when overspent.
 */
public record ErrorBudget(
        boolean checked,
        double errors,
        double requests,
        double objective,
        int windowDays,
        double remaining,
        String summary) {

    public static ErrorBudget notChecked(String why) {
        return new ErrorBudget(false, 0, 0, 0, 0, 1, why);
    }
}
