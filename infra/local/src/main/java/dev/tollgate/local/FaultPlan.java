package dev.tollgate.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Which AWS API faults to inject, at which rates. Written as comma-separated rules
 * {@code [service[:Operation]:]kind=rate[@millis]}, for example
 * {@code throttle=0.2,server=0.05} (every call) or {@code ecs:UpdateService:reset=0.5,cloudwatch:slow=0.1@3000}.
 * For each call the first rule that matches and fires decides; rules are tried in the order written.
 */
public final class FaultPlan {

    /** The faults an AWS call can meet on the way. */
    public enum Kind {
        /** HTTP 400 with the service's throttling error code ({@code ThrottlingException}, {@code Throttling}, ...). */
        THROTTLE,
        /** HTTP 500 or 503 with an internal-error code. */
        SERVER,
        /** The connection drops before the call reaches AWS. */
        RESET,
        /** The call reaches AWS and takes effect, then the connection drops before the answer: retries must be idempotent. */
        LOST,
        /** The answer comes, late. */
        SLOW
    }

    /** One rule: which calls ({@code null} matches any), which fault, how often, and for SLOW how long. */
    public record Rule(String service, String operation, Kind kind, double rate, int delayMillis) {

        boolean matches(String callService, String callOperation) {
            return (service == null || service.equalsIgnoreCase(callService))
                    && (operation == null || operation.equalsIgnoreCase(callOperation));
        }

        @Override
        public String toString() {
            String scope = service == null ? "" : service + (operation == null ? "" : ":" + operation) + ":";
            return scope + kind.name().toLowerCase(Locale.ROOT) + "=" + rate
                    + (kind == Kind.SLOW ? "@" + delayMillis : "");
        }
    }

    public static final FaultPlan NONE = new FaultPlan(List.of());

    private final List<Rule> rules;

    public FaultPlan(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The fault to inject into one call, if any. */
    public Optional<Rule> draw(String service, String operation, Random random) {
        for (Rule rule : rules) {
            if (rule.matches(service, operation) && random.nextDouble() < rule.rate()) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    public static FaultPlan parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String part : text.split(",")) {
            String rule = part.trim();
            try {
                rules.add(parseRule(rule));
            } catch (IllegalArgumentException e) {
                problems.add("'" + rule + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "bad --faults: " + String.join("; ", problems)
                            + " (form: [service[:Operation]:]throttle|server|reset|lost|slow=RATE[@MILLIS], e.g. throttle=0.2,server=0.05)");
        }
        return new FaultPlan(rules);
    }

    private static Rule parseRule(String rule) {
        int equals = rule.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("no '='");
        }
        String[] scope = rule.substring(0, equals).split(":");
        String kindName = scope[scope.length - 1].trim().toUpperCase(Locale.ROOT);
        Kind kind;
        try {
            kind = Kind.valueOf(kindName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault '" + scope[scope.length - 1] + "'");
        }
        if (scope.length > 3) {
            throw new IllegalArgumentException("too many ':'");
        }
        String service = scope.length >= 2 ? scope[0].trim() : null;
        String operation = scope.length == 3 ? scope[1].trim() : null;
        String value = rule.substring(equals + 1).trim();
        int delayMillis = kind == Kind.SLOW ? 2_000 : 0;
        int at = value.indexOf('@');
        if (at >= 0) {
            delayMillis = Integer.parseInt(value.substring(at + 1).trim());
            value = value.substring(0, at);
        }
        double rate = Double.parseDouble(value);
        if (rate < 0 || rate > 1 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("rate " + rate + " is not in [0, 1]");
        }
        return new Rule(service, operation, kind, rate, delayMillis);
    }

    @Override
    public String toString() {
        return rules.isEmpty()
                ? "no faults"
                : String.join(",", rules.stream().map(Rule::toString).toList());
    }
}
