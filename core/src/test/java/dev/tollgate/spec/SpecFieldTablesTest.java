package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.spec.SpecPage.Row;
import dev.tollgate.spec.SpecPage.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The field tables of {@code docs/spec.md} say what {@link SpecValidator} does, both ways, so the
 * page cannot fall behind it again. Nothing here repeats the validator's rules: each fact is read
 * from the validator's own answers, at every place a table describes, in every valid example of the
 * page that reaches that place.
 *
 * <ul>
 *   <li>Fields: an unknown field there is refused "allowed: one of ..." the validator's own list;
 *       the table must list exactly those.</li>
 *   <li>Type and limits: a number far out of every range is refused with the field's type ("must be a
 *       string", "a whole number from 30 to 7200") and, for an array, 1001 items with its size limits;
 *       the Type column must match and the Allowed column name every bound and enum value.</li>
 *   <li>Required: the field removed is "is required" there, or not.</li>
 *   <li>Default: the field removed, the normalised spec holds the Default column's value.</li>
 *   <li>Every object field has its own table, and every table a valid example that reaches it.</li>
 * </ul>
 *
 * A field another change adds to the validator without its row fails here, naming the field, the
 * place and the table.
 */
class SpecFieldTablesTest {

    private static final String NOT_A_FIELD = "zzNotAField";
    private static final JsonNode OUT_OF_EVERY_RANGE = LongNode.valueOf(-1_000_000_000_000_000L);
    private static final int TOO_MANY_ITEMS = 1001;
    private static final Pattern ONE_OF = Pattern.compile("one of ([A-Za-z0-9_]+(?:, [A-Za-z0-9_]+)*)");
    private static final Pattern RANGE = Pattern.compile("(-?\\d+(?:\\.\\d+)?) to (-?\\d+(?:\\.\\d+)?)");
    private static final Pattern INTERVAL = Pattern.compile("[(\\[](-?\\d+(?:\\.\\d+)?), (-?\\d+(?:\\.\\d+)?)[)\\]]");
    /** A default written as a JSON value: a number, true, false, [], {} or an enum value (`PAUSE`). */
    private static final Pattern LITERAL =
            Pattern.compile("`(-?\\d+(?:\\.\\d+)?|true|false|\\[]|\\{}|[A-Z][A-Z0-9_]*)`");

    private static final Pattern ENUM_VALUE = Pattern.compile("`([A-Z][A-Z0-9_]+)`");
    private static final List<String> TYPES = List.of("whole number", "number", "string", "boolean", "object", "array");

    private static final SpecPage PAGE = SpecPage.read();
    private static final List<ObjectNode> EXAMPLES = PAGE.validExamples();

    /** One place a table describes, in one valid example: {@code $.steps[0]} of the complete example. */
    private record Instance(ObjectNode example, String path) {

        JsonNode object() {
            return example.at(pointer(path));
        }

        String at(String field) {
            return Violations.child(path, field);
        }
    }

    /** What the validator answered to a value of the wrong type: the field's type and what it allows. */
    private record Reading(String type, String allowed) {}

    private static String where(Table table) {
        return "docs/spec.md line " + table.line() + ", table " + table.title();
    }

    private static String where(Table table, Row row, String field) {
        return "docs/spec.md line " + row.line() + ", table " + table.title() + ", field '" + field + "'";
    }

    /** Runs {@code check} on every field of every table with the instances the table describes. */
    private static List<String> eachField(Check check) {
        Set<String> problems = new LinkedHashSet<>();
        for (Table table : PAGE.tables()) {
            List<Instance> instances = instances(table);
            for (Row row : table.rows()) {
                for (String field : row.names()) {
                    check.check(
                            table,
                            row,
                            field,
                            instances,
                            problem -> problems.add(where(table, row, field) + ": " + problem));
                }
            }
        }
        return List.copyOf(problems);
    }

    @FunctionalInterface
    private interface Check {
        void check(Table table, Row row, String field, List<Instance> instances, Consumer<String> problem);
    }

    private static void assertNoProblems(List<String> problems) {
        assertEquals(List.of(), problems, problems.size() + " problem(s):\n" + String.join("\n", problems));
    }

    @Test
    void everyTableListsExactlyTheFieldsTheValidatorAcceptsThere() {
        List<String> problems = new ArrayList<>();
        for (Table table : PAGE.tables()) {
            Set<String> accepted = new TreeSet<>();
            for (Instance instance : instances(table)) {
                accepted.addAll(acceptedFields(instance));
            }
            Set<String> documented = new LinkedHashSet<>();
            table.rows()
                    .forEach(row -> row.names().forEach(name -> {
                        if (!documented.add(name)) {
                            problems.add(where(table) + ": field '" + name + "' has two rows");
                        }
                    }));
            if (documented.isEmpty()) {
                problems.add(where(table) + ": no field names (write each in backticks in the Field column)");
            }
            for (String field : accepted) {
                if (!documented.contains(field)) {
                    problems.add(where(table) + ": field '" + field + "' is accepted by SpecValidator at "
                            + String.join(", ", table.paths()) + " but missing from the table");
                }
            }
            for (String field : documented) {
                if (!accepted.isEmpty() && !accepted.contains(field)) {
                    problems.add(where(table) + ": field '" + field + "' is listed but SpecValidator refuses it there"
                            + " (it accepts " + String.join(", ", accepted) + ")");
                }
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void everyObjectHasItsOwnTableAndEveryTableAValidExampleThatReachesIt() {
        List<String> problems = new ArrayList<>();
        Set<String> tabled = new TreeSet<>();
        PAGE.tables().forEach(table -> tabled.addAll(table.paths()));
        for (Table table : PAGE.tables()) {
            if (instances(table).isEmpty()) {
                problems.add(where(table) + ": no valid example on the page reaches it, so nothing checks it:"
                        + " add one (a <!-- spec: valid fragment --> is enough)");
            }
            for (Row row : table.rows()) {
                String nested =
                        row.type().equals("object") ? "" : row.type().startsWith("array of objects") ? "[]" : null;
                for (String field : row.names()) {
                    for (String path : table.paths()) {
                        String place = path + "." + field + nested;
                        if (nested != null && !tabled.contains(place)) {
                            problems.add(where(table, row, field) + ": an " + row.type() + " needs its own table,"
                                    + " under <!-- fields: " + place + " -->");
                        }
                    }
                }
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void everyTypeIsTheOneTheValidatorReads() {
        assertNoProblems(eachField((table, row, field, instances, problem) -> {
            String documented = TYPES.stream()
                    .filter(type -> row.type().toLowerCase(Locale.ROOT).startsWith(type))
                    .findFirst()
                    .orElse(null);
            Optional<Reading> reading = reading(field, instances);
            if (documented == null) {
                problem.accept("Type '" + row.type() + "' starts with none of " + TYPES);
            } else if (reading.isEmpty()) {
                problem.accept("no valid example has a place where the validator reads it with its type; add one");
            } else if (!reading.get().type().equals(documented)) {
                problem.accept("Type says " + documented + ", the validator reads a "
                        + reading.get().type());
            }
        }));
    }

    @Test
    void requiredSaysWhetherTheValidatorRequiresTheField() {
        assertNoProblems(eachField((table, row, field, instances, problem) -> {
            String required = row.required().toLowerCase(Locale.ROOT);
            List<Instance> stating = instances.stream()
                    .filter(instance -> instance.object().has(field))
                    .toList();
            long requiring = stating.stream()
                    .filter(instance -> requiredAt(instance, field))
                    .count();
            if (required.equals("yes") && (stating.size() != instances.size() || requiring != instances.size())) {
                problem.accept("Required says yes, but the validator does not require it in "
                        + (instances.size() - requiring) + " of the " + instances.size()
                        + " examples that reach it; say when it is ('yes, for ...')");
            } else if (required.startsWith("yes") && requiring == 0) {
                problem.accept(
                        "Required says '" + row.required() + "', but removing it is refused in no example: add an"
                                + " example where it is required, or say no");
            } else if (required.startsWith("no") && requiring > 0) {
                problem.accept("Required says '" + row.required() + "', but the validator requires it");
            }
            if (row.defaultValue().isEmpty() && !required.startsWith("yes")) {
                problem.accept("an optional field needs its Default ('none' when there is none)");
            }
        }));
    }

    @Test
    void everyDefaultStatedAsAValueIsWhatNormalisationFillsIn() {
        assertNoProblems(eachField((table, row, field, instances, problem) -> {
            Matcher literal = LITERAL.matcher(row.defaultValue());
            boolean value = literal.matches();
            boolean none = row.defaultValue().startsWith("none");
            if (!value && !none) {
                return; // prose ("2 x bakeSeconds"): said in words, not checked
            }
            if (!carried(instances, field)) {
                return; // copied elsewhere by normalisation (analysis.minRequests into each step)
            }
            JsonNode expected = value ? literal(literal.group(1)) : null;
            for (Instance instance : instances) {
                Optional<JsonNode> filled = filledIn(instance, field);
                if (filled.isEmpty()) {
                    continue;
                }
                JsonNode actual = filled.get();
                boolean absent = actual.isMissingNode() || actual.isNull();
                if (none && !absent) {
                    problem.accept(
                            "Default says none, but normalisation fills in " + actual + " at " + instance.at(field));
                } else if (value && (absent || !sameValue(expected, actual))) {
                    problem.accept("Default says " + row.defaultValue() + ", but normalisation fills in "
                            + (absent ? "nothing" : actual.toString()) + " at " + instance.at(field));
                }
            }
        }));
    }

    @Test
    void everyLimitAndAllowedValueOfTheValidatorIsInTheAllowedColumn() {
        assertNoProblems(eachField((table, row, field, instances, problem) -> {
            List<String> allowedTexts = new ArrayList<>();
            reading(field, instances).ifPresent(reading -> allowedTexts.add(reading.allowed()));
            itemLimits(field, instances).ifPresent(allowedTexts::add);
            String documented = row.allowed().replaceAll("(?<=\\d),(?=\\d{3})", "");
            for (String allowed : allowedTexts) {
                for (String bound : bounds(allowed)) {
                    // A lower bound of 0 may go without saying ("at most 20", "greater than 0").
                    boolean said = Pattern.compile("(?<![\\d.])" + Pattern.quote(bound) + "(?!\\d)")
                            .matcher(documented)
                            .find();
                    if (!bound.equals("0") && !said) {
                        problem.accept("the validator allows '" + allowed + "', but Allowed does not say " + bound);
                    }
                }
                Matcher oneOf = ONE_OF.matcher(allowed);
                if (allowed.startsWith("one of") && oneOf.find()) {
                    Set<String> values = new TreeSet<>(List.of(oneOf.group(1).split(", ")));
                    Set<String> shown = new TreeSet<>();
                    ENUM_VALUE.matcher(row.allowed()).results().forEach(match -> shown.add(match.group(1)));
                    if (!values.equals(shown)) {
                        problem.accept("the validator allows " + values + ", Allowed shows " + shown);
                    }
                }
            }
        }));
    }

    // ---- reading the validator ----

    private static List<Instance> instances(Table table) {
        List<Instance> instances = new ArrayList<>();
        for (ObjectNode example : EXAMPLES) {
            for (String path : table.paths()) {
                List<String> places = new ArrayList<>(List.of("$"));
                for (String segment : path.substring(1).split("\\.")) {
                    if (segment.isEmpty()) {
                        continue;
                    }
                    boolean everyElement = segment.endsWith("[]");
                    String name = everyElement ? segment.substring(0, segment.length() - 2) : segment;
                    List<String> next = new ArrayList<>();
                    for (String place : places) {
                        JsonNode child = example.at(pointer(place)).path(name);
                        if (everyElement) {
                            for (int index = 0; index < child.size(); index++) {
                                next.add(Violations.element(Violations.child(place, name), index));
                            }
                        } else if (child.isObject()) {
                            next.add(Violations.child(place, name));
                        }
                    }
                    places = next;
                }
                for (String place : places) {
                    Instance instance = new Instance(example, place);
                    JsonNode object = instance.object();
                    boolean matches = object.isObject()
                            && table.filters().entrySet().stream()
                                    .allMatch(filter -> filter.getValue()
                                            .equals(object.path(filter.getKey()).asText()));
                    if (matches) {
                        instances.add(instance);
                    }
                }
            }
        }
        return instances;
    }

    /** The fields the validator knows at the instance's place, as its refusal of an unknown one lists them. */
    private static Set<String> acceptedFields(Instance instance) {
        ObjectNode probe = changed(instance, NOT_A_FIELD, (object, field) -> object.put(field, 1));
        Violation refusal = violationAt(probe, instance.at(NOT_A_FIELD))
                .orElseThrow(() -> new AssertionError(
                        "the validator accepts an unknown field at " + instance.path() + ": " + Json.write(probe)));
        Matcher known = ONE_OF.matcher(refusal.allowed());
        if (!known.find()) {
            throw new AssertionError(
                    "the refusal of an unknown field at " + instance.path() + " names no fields: " + refusal);
        }
        return new TreeSet<>(List.of(known.group(1).split(", ")));
    }

    /** The field's type and what it allows, from the first example where the validator reads it. */
    private static Optional<Reading> reading(String field, List<Instance> instances) {
        for (Instance instance : instances) {
            ObjectNode probe = changed(instance, field, (object, name) -> object.set(name, OUT_OF_EVERY_RANGE));
            Optional<Reading> reading = violationAt(probe, instance.at(field)).map(SpecFieldTablesTest::typeOf);
            if (reading.isPresent() && reading.get().type() != null) {
                return reading;
            }
        }
        return Optional.empty();
    }

    private static Reading typeOf(Violation violation) {
        String problem = violation.problem();
        String allowed = violation.allowed();
        String type = null;
        if (problem.startsWith("must be a string")) {
            type = "string";
        } else if (problem.startsWith("must be a whole number")
                || problem.endsWith("is out of range") && allowed.startsWith("a whole number")) {
            type = "whole number";
        } else if (problem.startsWith("must be a number")
                || problem.endsWith("is out of range") && allowed.startsWith("a number")) {
            type = "number";
        } else if (problem.startsWith("must be true or false")) {
            type = "boolean";
        } else if (problem.startsWith("must be an object")) {
            type = "object";
        } else if (problem.startsWith("must be an array")) {
            type = "array";
        }
        return new Reading(type, allowed);
    }

    /** For an array, the validator's size limits, read from its refusal of 1001 items. */
    private static Optional<String> itemLimits(String field, List<Instance> instances) {
        for (Instance instance : instances) {
            ObjectNode probe = changed(instance, field, (object, name) -> {
                ArrayNode many = object.putArray(name);
                for (int item = 0; item < TOO_MANY_ITEMS; item++) {
                    many.addNull();
                }
            });
            Optional<Violation> tooMany = violationAt(probe, instance.at(field))
                    .filter(violation -> violation.problem().startsWith("has " + TOO_MANY_ITEMS + " items"));
            if (tooMany.isPresent()) {
                return Optional.of(tooMany.get().allowed());
            }
        }
        return Optional.empty();
    }

    private static boolean requiredAt(Instance instance, String field) {
        ObjectNode probe = changed(instance, field, ObjectNode::remove);
        return violationAt(probe, instance.at(field))
                .filter(violation -> violation.problem().startsWith("is required"))
                .isPresent();
    }

    /** False when the normalised spec leaves the field out where an example states it: its value went elsewhere. */
    private static boolean carried(List<Instance> instances, String field) {
        return instances.stream()
                .filter(instance -> instance.object().hasNonNull(field))
                .allMatch(instance -> !normalised(instance.example())
                        .orElseThrow()
                        .at(pointer(instance.at(field)))
                        .isMissingNode());
    }

    /** What normalisation fills in for the field when the example leaves it out; empty when the example is then invalid. */
    private static Optional<JsonNode> filledIn(Instance instance, String field) {
        return normalised(changed(instance, field, ObjectNode::remove))
                .map(spec -> spec.at(pointer(instance.at(field))));
    }

    private static Optional<JsonNode> normalised(JsonNode spec) {
        try {
            return Optional.of(Json.tree(Json.write(new SpecValidator().validate(spec))));
        } catch (InvalidSpecException invalid) {
            return Optional.empty();
        }
    }

    private static Optional<Violation> violationAt(JsonNode spec, String path) {
        try {
            new SpecValidator().validate(spec);
            return Optional.empty();
        } catch (InvalidSpecException refused) {
            return refused.violations().stream()
                    .filter(violation -> violation.path().equals(path))
                    .findFirst();
        }
    }

    /** A copy of the instance's example with {@code change} applied to the object at its place. */
    private static ObjectNode changed(Instance instance, String field, BiConsumer<ObjectNode, String> change) {
        ObjectNode copy = instance.example().deepCopy();
        change.accept((ObjectNode) copy.at(pointer(instance.path())), field);
        return copy;
    }

    /** {@code $.analysis.metrics[0].tolerance} as a JSON pointer, {@code /analysis/metrics/0/tolerance}. */
    private static JsonPointer pointer(String path) {
        String pointer = path.substring(1).replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
        return JsonPointer.compile(pointer);
    }

    private static List<String> bounds(String allowed) {
        List<String> bounds = new ArrayList<>();
        for (Pattern pattern : List.of(RANGE, INTERVAL)) {
            pattern.matcher(allowed).results().forEach(match -> {
                bounds.add(match.group(1));
                bounds.add(match.group(2));
            });
        }
        return bounds;
    }

    private static JsonNode literal(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException | RuntimeException notJson) {
            return TextNode.valueOf(text);
        }
    }

    private static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.doubleValue() == actual.doubleValue();
        }
        return expected.equals(actual);
    }
}
