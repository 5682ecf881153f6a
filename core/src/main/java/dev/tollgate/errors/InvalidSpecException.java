package dev.tollgate.errors;

import java.util.List;

/**
 * The deployment spec breaks one or more rules. Carries every violation, each with its JSON path,
 * so one round trip fixes the whole request.
 */
public final class InvalidSpecException extends TerminalException {

    private final List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        super(describe(violations), MAX_MESSAGE_CHARS + 100);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    /**
     * Step Functions keeps at most 32,768 characters of an error's cause; a request full of typos
     * still gets a readable message that says how much was left out.
     */
    static final int MAX_MESSAGE_CHARS = 24_000;

    private static String describe(List<Violation> violations) {
        String plural = violations.size() == 1 ? "problem" : "problems";
        StringBuilder message =
                new StringBuilder("invalid deployment spec, " + violations.size() + " " + plural + ": ");
        int listed = 0;
        for (Violation violation : violations) {
            String line = (listed == 0 ? "" : "; ") + violation;
            if (message.length() + line.length() > MAX_MESSAGE_CHARS) {
                message.append("; ... and ").append(violations.size() - listed).append(" more");
                break;
            }
            message.append(line);
            listed++;
        }
        return message.toString();
    }

    /** One broken rule: where ({@code $.steps[2].weight}), what was wrong, and what is allowed. */
    public record Violation(String path, String problem, String allowed) {
        @Override
        public String toString() {
            return path + ": " + problem + (allowed == null || allowed.isEmpty() ? "" : " (allowed: " + allowed + ")");
        }
    }
}
