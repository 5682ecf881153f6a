package dev.tollgate.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.InvalidSpecException.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads fields out of a JSON tree while collecting every rule they break, so validation reports
 * all problems at once. Each reader returns empty when the value is missing or wrong.
 */
final class Violations {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,79}");

    private final List<Violation> found = new ArrayList<>();

    List<Violation> all() {
        return List.copyOf(found);
    }

    void add(String path, String problem, String allowed) {
        found.add(new Violation(path, problem, allowed));
    }

    /**
     * The path of a member: {@code $.steps} for a plain name, RFC 9535 bracket notation for any other
     * ({@code $.steps[0]['bake seconds']}): unknown fields and dimension names come from the request.
     */
    static String child(String path, String field) {
        if (PLAIN_NAME.matcher(field).matches()) {
            return path + "." + field;
        }
        return path + "['" + abbreviate(field.replace("\\", "\\\\").replace("'", "\\'")) + "']";
    }

    static String element(String path, int index) {
        return path + "[" + index + "]";
    }

    /** Reports fields the spec does not know, which are nearly always typos ({@code bakeSecond}). */
    void onlyKnownFields(JsonNode object, String path, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                add(child(path, name), "unknown field", "one of " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    Optional<JsonNode> object(JsonNode parent, String field, String path, boolean required) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                add(child(path, field), "is required", "an object");
            }
            return Optional.empty();
        }
        if (!value.isObject()) {
            add(child(path, field), "must be an object, found " + describe(value), "an object");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Optional<JsonNode> array(JsonNode parent, String field, String path, boolean required, int minItems, int maxItems) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                add(child(path, field), "is required", "an array of " + minItems + " to " + maxItems + " items");
            }
            return Optional.empty();
        }
        if (!value.isArray()) {
            add(child(path, field), "must be an array, found " + describe(value), "an array");
            return Optional.empty();
        }
        if (value.size() < minItems || value.size() > maxItems) {
            add(child(path, field), "has " + value.size() + " items", minItems + " to " + maxItems + " items");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Optional<String> string(
            JsonNode parent, String field, String path, boolean required, Pattern pattern, String allowed) {
        JsonNode value = parent.get(field);
        String at = child(path, field);
        if (value == null || value.isNull()) {
            if (required) {
                add(at, "is required", allowed);
            }
            return Optional.empty();
        }
        return stringValue(value, at, pattern, allowed);
    }

    Optional<String> stringValue(JsonNode value, String at, Pattern pattern, String allowed) {
        if (!value.isTextual()) {
            add(at, "must be a string, found " + describe(value), allowed);
            return Optional.empty();
        }
        String text = value.asText();
        if (pattern != null && !pattern.matcher(text).matches()) {
            add(at, "'" + abbreviate(text) + "' is not valid", allowed);
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** An optional array of unique strings; empty when absent, null when invalid (the violation is recorded). */
    List<String> stringList(
            JsonNode node, String field, String path, int minItems, int maxItems, Pattern pattern, String allowed) {
        Optional<JsonNode> array = array(node, field, path, false, minItems, maxItems);
        if (array.isEmpty()) {
            return node.hasNonNull(field) ? null : List.of();
        }
        List<String> values = new ArrayList<>();
        boolean valid = true;
        for (int index = 0; index < array.get().size(); index++) {
            String at = element(child(path, field), index);
            Optional<String> value = stringValue(array.get().get(index), at, pattern, allowed);
            if (value.isPresent() && values.contains(value.get())) {
                add(at, "'" + abbreviate(value.get()) + "' is listed twice", "each value once");
                valid = false;
            }
            value.ifPresent(values::add);
            valid &= value.isPresent();
        }
        return valid ? values : null;
    }

    <E extends Enum<E>> Optional<E> enumValue(
            JsonNode parent, String field, String path, boolean required, Class<E> type) {
        String allowed = "one of "
                + String.join(
                        ", ",
                        java.util.Arrays.stream(type.getEnumConstants())
                                .map(Enum::name)
                                .toList());
        return string(parent, field, path, required, null, allowed).flatMap(text -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(text)) {
                    return Optional.of(constant);
                }
            }
            add(child(path, field), "'" + abbreviate(text) + "' is not known", allowed);
            return Optional.empty();
        });
    }

    Optional<Long> integer(
            JsonNode parent, String field, String path, boolean required, long min, long max, String unit) {
        JsonNode value = parent.get(field);
        String at = child(path, field);
        String allowed = "a whole number from " + min + " to " + max + (unit.isEmpty() ? "" : " " + unit);
        if (value == null || value.isNull()) {
            if (required) {
                add(at, "is required", allowed);
            }
            return Optional.empty();
        }
        if (!value.isIntegralNumber()
                && !(value.isNumber()
                        && Double.isFinite(value.asDouble())
                        && value.asDouble() == Math.rint(value.asDouble()))) {
            add(at, "must be a whole number, found " + describe(value), allowed);
            return Optional.empty();
        }
        // asLong() wraps a number beyond a long (2^64 + 5 reads as 5) or clamps it: check before reading.
        if (!value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            add(at, value.asText() + " is out of range", allowed);
            return Optional.empty();
        }
        return Optional.of(value.asLong());
    }

    /** A number in the interval (min, max], or [min, max] when {@code minInclusive}. */
    Optional<Double> decimal(
            JsonNode parent,
            String field,
            String path,
            boolean required,
            double min,
            boolean minInclusive,
            double max,
            boolean maxInclusive) {
        JsonNode value = parent.get(field);
        String at = child(path, field);
        String allowed = "a number in " + (minInclusive ? "[" : "(") + plain(min) + ", " + plain(max)
                + (maxInclusive ? "]" : ")");
        if (value == null || value.isNull()) {
            if (required) {
                add(at, "is required", allowed);
            }
            return Optional.empty();
        }
        if (!value.isNumber()) {
            add(at, "must be a number, found " + describe(value), allowed);
            return Optional.empty();
        }
        double number = value.asDouble();
        boolean aboveMin = minInclusive ? number >= min : number > min;
        boolean belowMax = maxInclusive ? number <= max : number < max;
        if (!Double.isFinite(number) || !aboveMin || !belowMax) {
            add(at, plain(number) + " is out of range", allowed);
            return Optional.empty();
        }
        return Optional.of(number);
    }

    Optional<Boolean> bool(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            add(child(path, field), "must be true or false, found " + describe(value), "true or false");
            return Optional.empty();
        }
        return Optional.of(value.asBoolean());
    }

    /** A flat object of string values, such as CloudWatch dimensions. */
    Optional<Map<String, String>> stringMap(
            JsonNode parent,
            String field,
            String path,
            int maxEntries,
            Pattern keyPattern,
            Pattern valuePattern,
            String allowed) {
        Optional<JsonNode> object = object(parent, field, path, false);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        String at = child(path, field);
        JsonNode node = object.get();
        if (node.size() > maxEntries) {
            add(at, "has " + node.size() + " entries", "at most " + maxEntries);
            return Optional.empty();
        }
        Map<String, String> entries = new TreeMap<>();
        boolean valid = true;
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!keyPattern.matcher(entry.getKey()).matches()) {
                add(child(at, entry.getKey()), "name is not valid", allowed);
                valid = false;
                continue;
            }
            Optional<String> value = stringValue(entry.getValue(), child(at, entry.getKey()), valuePattern, allowed);
            valid &= value.isPresent();
            value.ifPresent(text -> entries.put(entry.getKey(), text));
        }
        return valid ? Optional.of(entries) : Optional.empty();
    }

    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "the string '" + abbreviate(value.asText()) + "'";
        }
        if (value.isNumber()) {
            return "the number " + value.asText();
        }
        if (value.isBoolean()) {
            return value.asText();
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Request text as quoted in a message: at most 80 characters, on one line, control characters escaped. */
    static String abbreviate(String text) {
        String shown = text.codePointCount(0, text.length()) <= 80
                ? text
                : text.substring(0, text.offsetByCodePoints(0, 77)) + "...";
        StringBuilder escaped = new StringBuilder(shown.length());
        shown.codePoints().forEach(codePoint -> {
            if (Character.isISOControl(codePoint)) {
                escaped.append(String.format(java.util.Locale.ROOT, "\\u%04x", codePoint));
            } else {
                escaped.appendCodePoint(codePoint);
            }
        });
        return escaped.toString();
    }

    static String plain(double number) {
        return number == Math.rint(number) && Math.abs(number) < 1e15
                ? Long.toString((long) number)
                : Double.toString(number);
    }
}
