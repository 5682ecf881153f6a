package dev.tollgate.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One version of a secret's value, held only inside the function that needs it. It never prints
 * itself ({@link #toString()} is redacted), has no Jackson properties, and its parse errors name
 * only where the text stopped being JSON, never what it said.
 */
public final class SecretValue {

    // A mapper of its own: parse failures are caught here and reported without the parser's message,
    // which quotes the offending text.
    private static final ObjectMapper PARSER = new ObjectMapper();

    private final String text;

    public SecretValue(String text) {
        this.text = text;
    }

    /** The value as a JSON object of string fields, or empty when it is not one. */
    public Optional<Map<String, String>> fields() {
        if (text == null) {
            return Optional.empty();
        }
        JsonNode tree;
        try {
            tree = PARSER.readTree(text);
        } catch (JsonProcessingException notJson) {
            return Optional.empty();
        }
        if (tree == null || !tree.isObject()) {
            return Optional.empty();
        }
        Map<String, String> fields = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : tree.properties()) {
            if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                fields.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return Optional.of(fields);
    }

    /** The key names of the JSON object (safe to report), empty when the value is not JSON. */
    public Set<String> keys() {
        return fields().map(Map::keySet).orElse(Set.of());
    }

    @Override
    public String toString() {
        return "SecretValue[redacted]";
    }
}
