package dev.tollgate.events;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** docs/events.schema.json, the published schema of a deployment event's detail, as the tests check it. */
public final class EventSchema {

    private static final JsonSchema SCHEMA = load();

    private EventSchema() {}

    /** Every way {@code detail} (JSON) breaks the schema; empty when it conforms. */
    public static List<String> violations(String detail) {
        Set<ValidationMessage> messages = SCHEMA.validate(Json.tree(detail));
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonSchema load() {
        Path file = docs().resolve("events.schema.json");
        try {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** docs/ of the repository, from any module's directory. */
    private static Path docs() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.isRegularFile(directory.resolve("docs/events.schema.json"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException(
                    "docs/events.schema.json not found above " + Path.of("").toAbsolutePath());
        }
        return directory.resolve("docs");
    }
}
