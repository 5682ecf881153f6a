package dev.tollgate.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/spec.md as the tests read it: its fenced blocks, each with the marker on the line before it
 * ({@code <!-- spec: valid -->}), and its field tables, each under a marker naming where in a spec
 * its fields live ({@code <!-- fields: $.analysis.metrics[] -->}, {@code <!-- fields: $.target type=ECS_ALB -->}).
 */
final class SpecPage {

    /** Surefire runs in the module directory (shared/); the page is at the repository root. */
    static final Path PAGE = Path.of("..", "docs", "spec.md");

    static final String TABLE_HEADER = "| Field | Type | Required | Default | Allowed |";

    private static final Pattern SPEC_MARKER = Pattern.compile("<!-- spec: (.+?) -->");
    private static final Pattern FIELDS_MARKER = Pattern.compile("<!-- fields: (.+?) -->");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    /** A fenced block: its language, its marker (null when unmarked), its text and the line it starts on. */
    record Block(String language, String marker, String text, int line) {}

    /** One row of a field table; a row may name several fields that share everything else. */
    record Row(List<String> names, String type, String required, String defaultValue, String allowed, int line) {}

    /**
     * A field table: the places it describes ({@code $}, {@code $.steps[]}: every element), the values
     * the object there must have for the table to apply ({@code type=ECS_ALB}), and its rows.
     */
    record Table(List<String> paths, Map<String, String> filters, List<Row> rows, int line) {

        String title() {
            StringBuilder title = new StringBuilder(String.join(" and ", paths));
            filters.forEach((field, value) ->
                    title.append(" where ").append(field).append(" is ").append(value));
            return title.toString();
        }
    }

    private final List<Block> blocks = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();

    private SpecPage(List<String> lines) {
        String marker = null;
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            Matcher spec = SPEC_MARKER.matcher(line.strip());
            Matcher fields = FIELDS_MARKER.matcher(line.strip());
            if (spec.matches()) {
                marker = spec.group(1);
            } else if (fields.matches()) {
                index = readTable(lines, index, fields.group(1));
                marker = null;
            } else if (line.startsWith("```")) {
                int start = index;
                StringBuilder text = new StringBuilder();
                for (index++; index < lines.size() && !lines.get(index).startsWith("```"); index++) {
                    text.append(lines.get(index)).append('\n');
                }
                blocks.add(new Block(line.substring(3).strip(), marker, text.toString(), start + 1));
                marker = null;
            } else if (!line.isBlank()) {
                marker = null;
            }
        }
    }

    static SpecPage read() {
        if (!Files.exists(PAGE)) {
            throw new IllegalStateException(
                    "docs/spec.md not found from " + Path.of("").toAbsolutePath());
        }
        try {
            return new SpecPage(Files.readAllLines(PAGE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Block> blocks() {
        return blocks;
    }

    List<Table> tables() {
        return tables;
    }

    /**
     * The specs the page shows as valid, whole: a {@code valid} block as it is, a {@code valid fragment}
     * with its top-level fields put into the first valid block (the complete example).
     */
    List<ObjectNode> validExamples() {
        List<ObjectNode> examples = new ArrayList<>();
        for (Block block : blocks) {
            if ("valid".equals(block.marker())) {
                examples.add((ObjectNode) Json.tree(block.text()));
            } else if ("valid fragment".equals(block.marker())) {
                examples.add(merged(examples.get(0), block));
            }
        }
        return examples;
    }

    /** The complete example with a fragment's top-level fields put in. */
    static ObjectNode merged(ObjectNode complete, Block fragment) {
        ObjectNode spec = complete.deepCopy();
        Json.tree(fragment.text()).properties().forEach(field -> spec.set(field.getKey(), field.getValue()));
        return spec;
    }

    private int readTable(List<String> lines, int markerIndex, String where) {
        List<String> paths = new ArrayList<>();
        Map<String, String> filters = new LinkedHashMap<>();
        for (String token : where.split("\\s+")) {
            if (token.startsWith("$")) {
                paths.add(token);
            } else if (token.contains("=")) {
                filters.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
            } else {
                throw new IllegalStateException(PAGE + " line " + (markerIndex + 1) + ": '" + token
                        + "' is neither a path ($...) nor a filter (field=value)");
            }
        }
        int index = markerIndex + 1;
        while (index < lines.size() && lines.get(index).isBlank()) {
            index++;
        }
        if (index >= lines.size() || !lines.get(index).strip().equals(TABLE_HEADER)) {
            throw new IllegalStateException(PAGE + " line " + (index + 1) + ": the table under '" + where
                    + "' must start with " + TABLE_HEADER);
        }
        index += 2; // the header and its separator
        List<Row> rows = new ArrayList<>();
        for (; index < lines.size() && lines.get(index).startsWith("|"); index++) {
            String[] cells = lines.get(index).strip().split("\\|", -1);
            if (cells.length != 7) {
                throw new IllegalStateException(
                        PAGE + " line " + (index + 1) + ": a row has five cells, found " + (cells.length - 2));
            }
            List<String> names = new ArrayList<>();
            Matcher name = BACKTICKED.matcher(cells[1]);
            while (name.find()) {
                names.add(name.group(1));
            }
            rows.add(new Row(names, cells[2].strip(), cells[3].strip(), cells[4].strip(), cells[5].strip(), index + 1));
        }
        tables.add(new Table(paths, filters, rows, markerIndex + 1));
        return index - 1;
    }
}
