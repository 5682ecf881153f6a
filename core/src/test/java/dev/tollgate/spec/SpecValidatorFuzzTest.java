package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The validator's promise for any JSON at all: a normalised spec or an {@link InvalidSpecException}
 * listing what is wrong, never another exception. Thousands of mutations of valid specs (fields
 * removed, retyped, renamed, duplicated, filled with junk) from a fixed seed, so a failure replays.
 */
class SpecValidatorFuzzTest {

    private static final long SEED = 20_261_124L;
    private static final int CASES = 4_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] WORDS = {
        "",
        " ",
        "ECS_ALB",
        "LAMBDA_ALIAS",
        "RATIO",
        "STATISTIC",
        "NONE",
        "FLYWAY",
        "PAUSE",
        "ROLLBACK",
        "p99",
        "p99.9",
        "Average",
        "Sum",
        "100",
        "5",
        "-1",
        "0.5",
        "true",
        "null",
        "checkout",
        "v42",
        ":App",
        "AWS/ApplicationELB",
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2",
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2/1",
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/checkout-blue/6d0ecf831eec9f09",
        "weight",
        "bakeSeconds",
        "canaryDimensions",
        "Version",
        "$.steps[0]",
        "a.b",
        "a[0]",
        "it's",
        "line\nbreak",
        "tab\there",
        "\u0000",
        "\u00e9t\u00e9",
        "\ud83d\ude80",
        "\ud83d",
        "x".repeat(300)
    };

    private final SpecValidator validator = new SpecValidator();

    @Test
    void neverThrowsAnythingButInvalidSpecException() {
        Random random = new Random(SEED);
        List<ObjectNode> seeds = List.of(
                SpecFixtures.designExample(),
                SpecFixtures.minimal(),
                SpecFixtures.remove(SpecFixtures.designExample(), "$.analysis.slo"));
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        for (int run = 0; run < CASES; run++) {
            ObjectNode request = seeds.get(random.nextInt(seeds.size())).deepCopy();
            // Mostly one fault at a time, so no other violation masks a crash; sometimes several.
            int mutations = random.nextInt(3) == 0 ? 2 + random.nextInt(3) : 1;
            for (int count = 0; count < mutations; count++) {
                mutate(request, random);
            }
            accepted += check(request, "case " + run + " of seed " + SEED, failures) ? 1 : 0;
        }
        assertNoFailures(failures);
        // Some mutations (an optional field removed, a value replaced by an equal one) leave the spec valid;
        // most must not. Either extreme means the mutations stopped exercising the validator.
        assertTrue(accepted > CASES / 100 && accepted < CASES / 2, "accepted " + accepted + " of " + CASES);
    }

    @Test
    void acceptsOrRefusesArbitraryJsonValues() {
        Random random = new Random(SEED + 1);
        List<String> failures = new ArrayList<>();
        for (int run = 0; run < 1_500; run++) {
            check(junk(random, 4), "junk case " + run, failures);
        }
        assertNoFailures(failures);
    }

    private static void assertNoFailures(List<String> failures) {
        assertTrue(
                failures.isEmpty(),
                () -> failures.size() + " cases broke the promise; the first:\n"
                        + String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
    }

    /** Validates; true when accepted. Records a failure for any exception but a well-formed refusal. */
    private boolean check(JsonNode request, String label, List<String> failures) {
        DeploymentSpec spec;
        try {
            spec = validator.validate(request);
        } catch (InvalidSpecException refusal) {
            malformed(refusal, label, request).ifPresent(failures::add);
            return false;
        } catch (RuntimeException unexpected) {
            StackTraceElement where =
                    unexpected.getStackTrace().length > 0 ? unexpected.getStackTrace()[0] : null;
            failures.add(label + ": " + unexpected + " at " + where + " for " + request);
            return false;
        }
        // What the validator accepts it must accept again, unchanged, once serialised.
        try {
            DeploymentSpec again = validator.validate(Json.MAPPER.valueToTree(spec));
            if (!again.equals(spec)) {
                failures.add(label + ": not a fixed point: " + spec + " became " + again);
            }
        } catch (InvalidSpecException refusal) {
            failures.add(label + ": the normalised spec was refused: " + refusal.getMessage() + " for " + request);
        }
        return true;
    }

    /** What is wrong with a refusal, if anything: it must list at least one problem, each with a path and a text, each once. */
    static java.util.Optional<String> malformed(InvalidSpecException refusal, String label, JsonNode request) {
        List<Violation> violations = refusal.violations();
        if (violations.isEmpty()) {
            return java.util.Optional.of(label + ": a refusal without violations for " + request);
        } else if (violations.stream()
                .anyMatch(violation ->
                        !violation.path().startsWith("$") || violation.problem().isBlank())) {
            return java.util.Optional.of(label + ": a violation without path or problem in " + violations);
        } else if (violations.size() != violations.stream().distinct().count()) {
            return java.util.Optional.of(label + ": a violation reported twice in " + violations);
        }
        return java.util.Optional.empty();
    }

    /** One random fault anywhere in the tree; {@code ReleaseValidatorFuzzTest} mutates releases with it too. */
    static void mutate(ObjectNode root, Random random) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        Slot slot = slots.get(random.nextInt(slots.size()));
        switch (random.nextInt(10)) {
            case 0, 1 -> slot.remove();
            case 2, 3 -> slot.replace(scalar(random));
            case 4 -> slot.replace(junk(random, 2));
            case 5 -> slot.replace(retyped(slot.value(), random));
            case 6 -> slot.rename(random);
            case 7 -> slot.replace(NODES.nullNode());
            case 8 -> slot.duplicate();
            default -> slot.replace(nudged(slot.value(), random));
        }
    }

    /** Every place in the tree a value sits: a field of an object or an element of an array. */
    private static void collect(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                slots.add(new Slot((ObjectNode) node, name, -1));
                collect(node.get(name), slots);
            }
        } else if (node.isArray()) {
            for (int index = 0; index < node.size(); index++) {
                slots.add(new Slot(null, null, index, (ArrayNode) node));
                collect(node.get(index), slots);
            }
        }
    }

    private record Slot(ObjectNode object, String field, int index, ArrayNode array) {
        Slot(ObjectNode object, String field, int index) {
            this(object, field, index, null);
        }

        JsonNode value() {
            return object != null ? object.get(field) : array.get(index);
        }

        void remove() {
            if (object != null) {
                object.remove(field);
            } else {
                array.remove(index);
            }
        }

        void replace(JsonNode value) {
            if (object != null) {
                object.set(field, value);
            } else {
                array.set(index, value);
            }
        }

        void rename(Random random) {
            if (object == null) {
                array.insert(index, scalar(random));
                return;
            }
            JsonNode value = object.remove(field);
            String renamed = switch (random.nextInt(3)) {
                case 0 -> field.substring(0, field.length() - 1);
                case 1 -> field.toUpperCase(java.util.Locale.ROOT);
                default -> WORDS[random.nextInt(WORDS.length)];
            };
            object.set(renamed, value);
        }

        void duplicate() {
            if (object != null) {
                object.set(field + "2", value().deepCopy());
            } else {
                array.insert(index, value().deepCopy());
            }
        }
    }

    private static JsonNode scalar(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(201) - 50);
            case 3 -> NODES.numberNode(random.nextLong());
            case 4 -> NODES.numberNode(new BigInteger(80, random).add(BigInteger.valueOf(Long.MAX_VALUE)));
            case 5 -> NODES.numberNode(random.nextDouble() * 200 - 50);
            case 6 ->
                NODES.numberNode(
                        random.nextInt(3) == 0
                                ? Double.NaN
                                : random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
            case 7 -> NODES.numberNode(new BigDecimal(random.nextInt(1000)).movePointLeft(random.nextInt(4)));
            case 8 -> NODES.numberNode(random.nextBoolean() ? 1e300 : -1e-300);
            case 9 -> NODES.numberNode(100.0);
            case 10 -> NODES.textNode(randomText(random));
            default -> NODES.textNode(WORDS[random.nextInt(WORDS.length)]);
        };
    }

    static JsonNode junk(Random random, int depth) {
        int choice = depth <= 0 ? 0 : random.nextInt(4);
        if (choice == 0 || choice == 1) {
            return scalar(random);
        }
        if (choice == 2) {
            ArrayNode array = NODES.arrayNode();
            for (int count = random.nextInt(4); count > 0; count--) {
                array.add(junk(random, depth - 1));
            }
            return array;
        }
        ObjectNode object = NODES.objectNode();
        for (int count = random.nextInt(4); count > 0; count--) {
            object.set(
                    random.nextBoolean() ? WORDS[random.nextInt(WORDS.length)] : randomText(random),
                    junk(random, depth - 1));
        }
        return object;
    }

    /** The same information in the wrong JSON type: 5 as "5", "x" as ["x"], an object as an array of its values. */
    private static JsonNode retyped(JsonNode value, Random random) {
        if (value.isNumber() || value.isBoolean()) {
            return NODES.textNode(value.asText());
        }
        if (value.isTextual()) {
            return random.nextBoolean()
                    ? NODES.arrayNode().add(value)
                    : NODES.objectNode().set(value.asText(), value);
        }
        if (value.isObject()) {
            ArrayNode values = NODES.arrayNode();
            value.elements().forEachRemaining(values::add);
            return values;
        }
        if (value.isArray()) {
            return value.isEmpty() ? NODES.objectNode() : value.get(0);
        }
        return scalar(random);
    }

    /** A near miss: a number a little off or written as a decimal, a string one character longer or shorter. */
    private static JsonNode nudged(JsonNode value, Random random) {
        if (value.isIntegralNumber()) {
            // 28 as 28.0 is the same whole number written differently, and must read the same.
            return random.nextInt(3) == 0
                    ? NODES.numberNode(value.asDouble())
                    : NODES.numberNode(value.asLong() + random.nextInt(3) - 1);
        }
        if (value.isNumber()) {
            return NODES.numberNode(value.asDouble() * (random.nextBoolean() ? 10 : 0.1));
        }
        if (value.isTextual()) {
            String text = value.asText();
            return NODES.textNode(text.isEmpty() || random.nextBoolean() ? text + "-" : text.substring(1));
        }
        return scalar(random);
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int length = random.nextInt(12); length > 0; length--) {
            text.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x3000) : 0x20 + random.nextInt(0x5F)));
        }
        return text.toString();
    }
}
