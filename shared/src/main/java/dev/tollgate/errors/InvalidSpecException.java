package dev.tollgate.errors;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The deployment spec breaks one or more rules. Carries every violation, each with its JSON path,
 * so one round trip fixes the whole request.
 */
public final class InvalidSpecException extends TerminalException {

    private final List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String describe(List<Violation> violations) {
        String plural = violations.size() == 1 ? "problem" : "problems";
        return violations.stream()
                .map(Violation::toString)
                .collect(Collectors.joining("; ", "invalid deployment spec, " + violations.size() + " " + plural + ": ", ""));
    }

    /** One broken rule: where ({@code $.steps[2].weight}), what was wrong, and what is allowed. */
    public record Violation(String path, String problem, String allowed) {
        @Override
        public String toString() {
            return path + ": " + problem + (allowed == null || allowed.isEmpty() ? "" : " (allowed: " + allowed + ")");
        }
    }
}
