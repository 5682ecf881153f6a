package dev.tollgate.fakes;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import dev.tollgate.samples.SampleEventFiles;
import dev.tollgate.spec.DeploymentSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The repository's sample events ({@code events/}) for handler tests: read, as specs, and invoked. */
public final class SampleEvents {

    private SampleEvents() {}

    public static Path directory() {
        return SampleEventFiles.directory();
    }

    public static String read(String name) {
        return SampleEventFiles.read(name);
    }

    /** The deployment spec a sample event carries in its {@code spec} field. */
    public static DeploymentSpec spec(String eventName) {
        return Json.convert(Json.tree(read(eventName)).path("spec"), DeploymentSpec.class);
    }

    /** Runs a handler on a sample event as the Lambda runtime would, and returns its JSON answer. */
    public static JsonNode invoke(RequestStreamHandler handler, String eventName) {
        return invokeWith(handler, read(eventName));
    }

    public static JsonNode invokeWith(RequestStreamHandler handler, String event) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, (Context) null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Json.tree(output.toString(StandardCharsets.UTF_8));
    }
}
