package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deployment specs for the validator's tests: the JSON files under {@code specs/}, and edits
 * addressed by the same JSON paths the validator reports ({@code $.steps[2].weight}).
 */
final class SpecFixtures {

    private static final Pattern PATH_TOKEN = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]");

    private SpecFixtures() {}

    /** DESIGN §3's example, adapted to this build: no secrets, migrations NONE, dimensions for both sides. */
    static ObjectNode designExample() {
        return load("ecs-alb-design-example.json");
    }

    /** Only the required fields, so every default applies. */
    static ObjectNode minimal() {
        return load("ecs-alb-minimal.json");
    }

    static ObjectNode load(String name) {
        try (InputStream in = SpecFixtures.class.getResourceAsStream("/specs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource specs/" + name);
            }
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        return Json.tree(text);
    }

    /** Replaces (or adds) the value at {@code path}; {@code jsonValue} is JSON text, e.g. {@code "5.5"} or {@code "\"five\""}. */
    static ObjectNode set(ObjectNode spec, String path, String jsonValue) {
        return set(spec, path, json(jsonValue));
    }

    static ObjectNode set(ObjectNode spec, String path, JsonNode value) {
        List<Object> tokens = tokens(path);
        JsonNode parent = navigate(spec, tokens.subList(0, tokens.size() - 1), path);
        Object last = tokens.get(tokens.size() - 1);
        if (last instanceof Integer index) {
            ArrayNode array = (ArrayNode) parent;
            if (index == array.size()) {
                array.add(value);
            } else {
                array.set(index, value);
            }
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
        return spec;
    }

    static ObjectNode remove(ObjectNode spec, String path) {
        List<Object> tokens = tokens(path);
        JsonNode parent = navigate(spec, tokens.subList(0, tokens.size() - 1), path);
        Object last = tokens.get(tokens.size() - 1);
        if (last instanceof Integer index) {
            ((ArrayNode) parent).remove(index);
        } else {
            ((ObjectNode) parent).remove((String) last);
        }
        return spec;
    }

    static JsonNode at(JsonNode spec, String path) {
        return navigate(spec, tokens(path), path);
    }

    /** Validates a spec that must be refused and returns what the refusal says. */
    static InvalidSpecException refusal(JsonNode spec) {
        return assertThrows(InvalidSpecException.class, () -> new SpecValidator().validate(spec));
    }

    static List<Violation> violations(JsonNode spec) {
        return refusal(spec).violations();
    }

    static Violation onlyViolation(JsonNode spec) {
        List<Violation> violations = violations(spec);
        assertEquals(1, violations.size(), () -> "expected one violation, got " + violations);
        return violations.get(0);
    }

    static List<String> paths(List<Violation> violations) {
        return violations.stream().map(Violation::path).toList();
    }

    private static JsonNode navigate(JsonNode root, List<Object> tokens, String path) {
        JsonNode node = root;
        for (Object token : tokens) {
            node = token instanceof Integer index ? node.get(index) : node.get((String) token);
            if (node == null) {
                throw new IllegalArgumentException("nothing at " + path + " in the fixture");
            }
        }
        return node;
    }

    private static List<Object> tokens(String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("a JSON path starts with $: " + path);
        }
        List<Object> tokens = new ArrayList<>();
        Matcher matcher = PATH_TOKEN.matcher(path);
        int position = 1;
        while (position < path.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw new IllegalArgumentException("cannot read the JSON path " + path + " at " + position);
            }
            tokens.add(matcher.group(1) != null ? matcher.group(1) : Integer.valueOf(matcher.group(2)));
            position = matcher.end();
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the path names no field: " + path);
        }
        return tokens;
    }
}
