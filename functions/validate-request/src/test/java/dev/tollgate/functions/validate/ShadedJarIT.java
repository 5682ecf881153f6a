package dev.tollgate.functions.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployable jar alone serves the sample as on Lambda: unpacked into a task root as Lambda unpacks it, its classes
 * read from there and nothing of the build's, with the environment Lambda gives a traced function (the task root, the
 * invocation's trace id, JSON logs at a level); everything it writes on standard output is a JSON log line.
 *
 * <p>Two defects it holds off. validate-request's jar leaves the SDK out; the X-Ray recorder's Lambda context still
 * reads each invocation's trace id through the SDK's {@code utils-lite}. The jar used to lack it and leaned on the runtime's class path to carry
 * it (AWS's runtime interface client depends on it, so a runtime built from it does): outside such a runtime every
 * invocation failed with {@code NoClassDefFoundError}, while every test on the build's class path passed. And an
 * unpacked jar has no multi-release classes: Log4j's Java 8 {@code StackLocator} printed a plain-text warning on
 * standard output at every cold start until the build flattened {@code META-INF/versions} into the jar.
 */
class ShadedJarIT {

    @TempDir
    Path taskRoot;

    @Test
    void servesTheSampleWithLambdasEnvironmentAndNothingOfTheBuilds() throws IOException, InterruptedException {
        Served served = serve("validate-request.json");

        assertEquals(0, served.exit(), served.stderr());
        List<String> response = served.stdout().stream()
                .filter(line -> line.startsWith("RESPONSE "))
                .toList();
        assertEquals(1, response.size(), served.stdout() + served.stderr());
        assertTrue(response.get(0).contains("\"deploymentId\":\"checkout-2026-11-24-v42\""), response.get(0));
        // CloudWatch Logs gets standard output and standard error: JSON lines only, no library's plain-text warning.
        List<String> notJson = Stream.concat(
                        served.stdout().stream(), served.stderr().lines())
                .filter(line -> !line.startsWith("RESPONSE "))
                .filter(line -> !isJsonLine(line))
                .toList();
        assertEquals(List.of(), notJson);
    }

    @Test
    void logsARefusalAsOneJsonLineFromTheUnpackedJarsConfiguration() throws IOException, InterruptedException {
        Served served = serve("statemachine-invalid.json");

        // The refusal ends this harness's JVM (Lambda's runtime would answer it as the function's error).
        assertTrue(served.exit() != 0, "the invalid sample is refused");
        assertTrue(served.stderr().contains("InvalidSpecException"), served.stderr());
        // Standard output: the JSON layout of log4j2.properties, read from the unpacked jar, and nothing else.
        assertEquals(1, served.stdout().size(), served.stdout().toString());
        String line = served.stdout().get(0);
        assertTrue(isJsonLine(line), line);
        assertTrue(line.contains("\"level\":\"WARN\""), line);
        assertTrue(line.contains("\"logger\":\"dev.tollgate.handler.JsonHandler\""), line);
        assertTrue(line.contains("InvalidSpecException: invalid deployment spec"), line);
    }

    /** What one invocation in a JVM of its own left: its exit code, its standard output's lines, its standard error. */
    private record Served(int exit, List<String> stdout, String stderr) {}

    /** Serves {@code events/<sample>} from the unpacked jar in a JVM of its own, with Lambda's environment. */
    private Served serve(String sample) throws IOException, InterruptedException {
        Path jar = Path.of("target", "validate-request.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is built before the integration tests");
        Path task = unpack(jar, taskRoot.resolve("task"));
        Path output = taskRoot.resolve("stdout");
        Path errors = taskRoot.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        task
                                + File.pathSeparator
                                + Path.of("target", "test-classes").toAbsolutePath(),
                        ServeOnceAsLambda.class.getName(),
                        ValidateRequestHandler.class.getName(),
                        Path.of("..", "..", "events", sample)
                                .toAbsolutePath()
                                .normalize()
                                .toString())
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile());
        builder.environment().clear();
        builder.environment()
                .putAll(Map.of(
                        "LAMBDA_TASK_ROOT", task.toString(),
                        "AWS_LAMBDA_FUNCTION_NAME", "ValidateRequestFunction",
                        "AWS_REGION", "us-east-1",
                        "AWS_LAMBDA_LOG_FORMAT", "JSON",
                        "AWS_LAMBDA_LOG_LEVEL", "INFO",
                        "POWERTOOLS_SERVICE_NAME", "tollgate-validate-request",
                        // Not sampled: the recorder reads the trace id and opens its subsegment, and sends nothing.
                        "_X_AMZN_TRACE_ID",
                                "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=0",
                        "AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR",
                        "TZ", ":UTC"));
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM ended within a minute");
        return new Served(
                process.exitValue(),
                Files.readAllLines(output, StandardCharsets.UTF_8),
                Files.readString(errors, StandardCharsets.UTF_8));
    }

    private static boolean isJsonLine(String line) {
        return line.startsWith("{") && line.endsWith("}");
    }

    /** As Lambda unpacks a deployment package into /var/task. */
    private static Path unpack(Path jar, Path root) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                Path target = root.resolve(entry.getName()).normalize();
                assertTrue(target.startsWith(root), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return root;
    }
}
