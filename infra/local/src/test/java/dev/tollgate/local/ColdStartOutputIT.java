package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import dev.tollgate.local.SamTemplate.FunctionDefinition;
import dev.tollgate.local.runtime.FunctionJars;
import dev.tollgate.local.runtime.TaskRoot;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every function's cold start (its deployable jar unpacked as Lambda unpacks it, a fresh JVM, the handler built as
 * Lambda builds it) prints no
 * warning: nothing on standard error (SLF4J's "no binding" lines went there), and no line at WARN or above, or that is
 * not JSON, on standard output (the function's log). An integration test: it runs the deployable jars, which the
 * package phase makes.
 */
class ColdStartOutputIT {

    @TempDir
    static Path taskRoots;

    static Stream<FunctionDefinition> functions() {
        return SamTemplate.read(RepositoryFiles.template()).functions().values().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void aColdStartPrintsNoWarning(FunctionDefinition function) throws Exception {
        Path jar = FunctionJars.locate(RepositoryFiles.root(), function.handlerClass());
        // As Lambda runs it: the jar unpacked into the task root, classes read from the directory (where a
        // multi-release jar's versioned classes are not seen).
        TaskRoot task = TaskRoot.unpack(jar, taskRoots.resolve(function.logicalId()));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // template.yaml's JAVA_TOOL_OPTIONS, given as flags: through the variable, the JVM says it picked them
                // up.
                "-XX:+UseSerialGC",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                Stream.concat(task.classPath().stream(), Stream.of(ownClasses()))
                        .map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator)),
                ColdStartInit.class.getName(),
                function.handlerClass()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(function.environment());
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.putAll(Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_LAMBDA_FUNCTION_NAME",
                function.logicalId(),
                "AWS_ACCESS_KEY_ID",
                "test",
                "AWS_SECRET_ACCESS_KEY",
                "test",
                "AWS_ENDPOINT_URL",
                "http://127.0.0.1:9",
                "LAMBDA_TASK_ROOT",
                task.directory().toString()));
        Process process = builder.start();
        // Both streams are small (an init prints a few lines at most): read one after the other.
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the init ended");
        assertEquals(0, process.exitValue(), "the handler was built: " + err);

        assertEquals("", err, "nothing on standard error");
        for (String line : out.lines().filter(line -> !line.isBlank()).toList()) {
            JsonNode logLine = json(line);
            assertTrue(logLine != null && logLine.isObject(), "every line is the JSON log's: " + line);
            assertTrue(
                    List.of("TRACE", "DEBUG", "INFO")
                            .contains(logLine.path("level").asText()),
                    "no warning: " + line);
        }
    }

    private static JsonNode json(String line) {
        try {
            return Json.tree(line);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static Path ownClasses() throws URISyntaxException {
        return Path.of(ColdStartInit.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }
}
