package dev.tollgate.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import dev.tollgate.local.RepositoryFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local Lambda service against AWS's real runtime interface client: a probe function runs in its
 * own JVM, polls the Runtime API served here, and every way an invocation can end comes back as
 * Lambda answers it (a response, the Java runtime's error document, an init error, a timeout that
 * kills the JVM, a runtime that exits, a response too large), with warm reuse and overlap as on Lambda.
 */
class LambdaRuntimeIT {

    private static final String PROBE = ProbeHandler.class.getName() + "::handleRequest";
    private static Path jar;

    @TempDir
    Path work;

    private ExecutionEnvironments environments;

    @BeforeAll
    static void packageTheProbe(@TempDir Path folder) throws IOException, URISyntaxException {
        Path classes = Path.of(ProbeHandler.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        String packagePath = ProbeHandler.class.getPackageName().replace('.', '/');
        jar = folder.resolve("probe.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.list(classes.resolve(packagePath))) {
            for (Path file : files.filter(path -> path.getFileName().toString().startsWith("ProbeHandler"))
                    .toList()) {
                out.putNextEntry(new JarEntry(packagePath + "/" + file.getFileName()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
    }

    @AfterEach
    void stop() {
        if (environments != null) {
            environments.close();
        }
    }

    private FunctionConfiguration probe(String handler, int memoryMb, int timeoutSeconds) throws IOException {
        // A copy in this test's folder: the task root links to it, and a link out of the folder would be left behind.
        Path code = Files.copy(jar, work.resolve("probe.jar"));
        return new FunctionConfiguration(
                "Probe",
                "arn:aws:lambda:us-east-1:123456789012:function:Probe",
                handler,
                code,
                memoryMb,
                timeoutSeconds,
                "JSON",
                "INFO",
                Map.of("PROBE_SETTING", "from the template"));
    }

    private ExecutionEnvironments service(FunctionConfiguration function, ExecutionEnvironments.Limits limits) {
        environments = new ExecutionEnvironments(
                RuntimeInterfaceClient.locate(RepositoryFiles.root(), work.resolve("lambda")),
                FunctionLog.appendingTo(work.resolve("functions.log")),
                work.resolve("lambda"),
                limits);
        environments.deploy(function);
        return environments;
    }

    private static InvocationResult invoke(ExecutionEnvironments environments, String action)
            throws InterruptedException {
        return environments.invoke(
                "Probe",
                ("{\"action\":\"" + action + "\"}").getBytes(StandardCharsets.UTF_8),
                "arn:aws:lambda:us-east-1:123456789012:function:Probe:live");
    }

    private List<JsonNode> platformLines(String type) throws IOException {
        return Files.readAllLines(work.resolve("functions.log")).stream()
                .filter(line -> line.startsWith("{\"time\""))
                .map(Json::tree)
                .filter(line -> type.equals(line.path("type").asText()))
                .toList();
    }

    @Test
    void runsTheHandlerInTheRuntimeInterfaceClientWithItsContextAndKeepsTheJvmWarm() throws Exception {
        ExecutionEnvironments service = service(probe(PROBE, 256, 30), ExecutionEnvironments.Limits.DEFAULT);

        JsonNode first = Json.tree(invoke(service, "echo").payloadText());
        JsonNode second = Json.tree(invoke(service, "echo").payloadText());

        assertNotEquals(
                ProcessHandle.current().pid(), first.path("pid").asLong(), "the function runs in a JVM of its own");
        assertEquals(
                first.path("pid").asLong(), second.path("pid").asLong(), "the second invocation reuses the warm JVM");
        assertEquals(1, service.statistics().started());
        assertEquals("Probe", first.path("functionName").asText());
        assertEquals(
                "arn:aws:lambda:us-east-1:123456789012:function:Probe:live",
                first.path("invokedFunctionArn").asText());
        assertEquals(PROBE, first.path("handler").asText());
        assertEquals("from the template", first.path("setting").asText());
        assertEquals(256, first.path("memoryLimitMb").asInt());
        // The runtime's customer class loader loaded the handler from the task root's lib/, as on Lambda.
        assertEquals(
                "com.amazonaws.services.lambda.runtime.api.client.CustomerClassLoader",
                first.path("classLoader").asText());
        long remaining = first.path("remainingMillis").asLong();
        assertTrue(
                remaining > 20_000 && remaining <= 30_000,
                "the deadline is the timeout from the dispatch: " + remaining);
        // 85 % of the memory for the heap, as Lambda sizes it (the JVM reports it less one survivor space).
        double heapShare = first.path("maxHeapBytes").asDouble() / (256 * 1024 * 1024);
        assertTrue(heapShare > 0.75 && heapShare <= 0.85, "heap share " + heapShare);
        assertNotEquals(
                first.path("requestId").asText(), second.path("requestId").asText());

        List<JsonNode> initStarts = platformLines("platform.initStart");
        assertEquals(1, initStarts.size());
        assertTrue(
                initStarts
                        .get(0)
                        .path("record")
                        .path("runtimeVersion")
                        .asText()
                        .startsWith("aws-lambda-java-runtime-interface-client "),
                initStarts.toString());
        List<JsonNode> reports = platformLines("platform.report");
        assertEquals(
                List.of(
                        first.path("requestId").asText(),
                        second.path("requestId").asText()),
                reports.stream()
                        .map(report -> report.path("record").path("requestId").asText())
                        .toList());
        assertTrue(
                reports.get(0).path("record").path("metrics").has("initDurationMs"), "the cold start reports its init");
        assertFalse(reports.get(1).path("record").path("metrics").has("initDurationMs"), "the warm one does not");
        assertTrue(
                Files.readString(work.resolve("functions.log")).contains("\"message\":\"probe invoked\""),
                "the function's own output");
    }

    @Test
    void anExceptionIsAnsweredWithTheJavaRuntimesErrorDocumentAndTheJvmStaysWarm() throws Exception {
        ExecutionEnvironments service = service(probe(PROBE, 256, 30), ExecutionEnvironments.Limits.DEFAULT);

        InvocationResult failed = invoke(service, "fail");
        JsonNode error = Json.tree(failed.payloadText());
        InvocationResult next = invoke(service, "echo");

        assertTrue(failed.functionError());
        assertEquals("java.lang.IllegalStateException", error.path("errorType").asText());
        assertEquals("asked to fail", error.path("errorMessage").asText());
        assertTrue(
                error.path("stackTrace")
                        .get(0)
                        .asText()
                        .startsWith("dev.tollgate.local.runtime.ProbeHandler.handleRequest"),
                error.toString());
        assertFalse(next.functionError());
        assertEquals(1, service.statistics().started(), "a handled failure keeps the environment");
    }

    @Test
    void aConstructorThatThrowsIsAnInitErrorAndTheNextInvocationStartsAFreshJvm() throws Exception {
        ExecutionEnvironments service = service(
                probe(ProbeHandler.BrokenInit.class.getName() + "::handleRequest", 256, 30),
                ExecutionEnvironments.Limits.DEFAULT);

        InvocationResult first = invoke(service, "echo");
        InvocationResult second = invoke(service, "echo");

        assertTrue(first.functionError());
        assertEquals(InvocationResult.Status.INIT_ERROR, first.status());
        JsonNode error = Json.tree(first.payloadText());
        assertEquals("java.lang.IllegalStateException", error.path("errorType").asText());
        assertEquals(
                "cannot start: no configuration", error.path("errorMessage").asText());
        assertEquals(InvocationResult.Status.INIT_ERROR, second.status());
        assertEquals(2, service.statistics().started(), "Lambda retries the init in a new environment");
    }

    @Test
    void aHandlerClassThatDoesNotExistFailsEveryInvocationWithClassNotFound() throws Exception {
        ExecutionEnvironments service = service(
                probe("dev.tollgate.NoSuchHandler::handleRequest", 256, 30), ExecutionEnvironments.Limits.DEFAULT);

        JsonNode error = Json.tree(invoke(service, "echo").payloadText());

        assertEquals("java.lang.ClassNotFoundException", error.path("errorType").asText());
        assertEquals(
                "Class not found: dev.tollgate.NoSuchHandler",
                error.path("errorMessage").asText());
    }

    @Test
    void anInvocationPastTheTimeoutIsSandboxTimedoutAndItsJvmIsKilledAndReplaced() throws Exception {
        ExecutionEnvironments service = service(probe(PROBE, 256, 5), ExecutionEnvironments.Limits.DEFAULT);
        long firstPid =
                Json.tree(invoke(service, "echo").payloadText()).path("pid").asLong();

        InvocationResult timedOut = invoke(service, "sleep");
        JsonNode next = Json.tree(invoke(service, "echo").payloadText());

        assertTrue(timedOut.functionError());
        JsonNode error = Json.tree(timedOut.payloadText());
        assertEquals("Sandbox.Timedout", error.path("errorType").asText());
        assertTrue(
                error.path("errorMessage").asText().endsWith("Error: Task timed out after 5.00 seconds"),
                error.toString());
        assertFalse(
                ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "the timed-out JVM is killed");
        assertNotEquals(firstPid, next.path("pid").asLong(), "the next invocation runs in a new JVM");
        assertEquals(
                "timeout",
                platformLines("platform.report")
                        .get(1)
                        .path("record")
                        .path("status")
                        .asText());
    }

    @Test
    void aRuntimeThatExitsDuringAnInvocationIsRuntimeExitError() throws Exception {
        ExecutionEnvironments service = service(probe(PROBE, 256, 30), ExecutionEnvironments.Limits.DEFAULT);

        JsonNode error = Json.tree(invoke(service, "exit").payloadText());

        assertEquals("Runtime.ExitError", error.path("errorType").asText());
        assertTrue(
                error.path("errorMessage").asText().endsWith("Error: Runtime exited with error: exit status 3"),
                error.toString());
    }

    @Test
    void aResponseOverSixMegabytesIsFunctionResponseSizeTooLarge() throws Exception {
        ExecutionEnvironments service = service(probe(PROBE, 512, 30), ExecutionEnvironments.Limits.DEFAULT);

        JsonNode error = Json.tree(invoke(service, "large").payloadText());

        assertEquals("Function.ResponseSizeTooLarge", error.path("errorType").asText());
    }

    @Test
    void overlappingInvocationsRunInSeparateJvmsUpToTheLimitAndTheRestWait() throws Exception {
        ExecutionEnvironments service = service(probe(PROBE, 256, 60), new ExecutionEnvironments.Limits(2, 2));

        List<CompletableFuture<InvocationResult>> naps = Stream.generate(() -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return invoke(service, "nap");
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }))
                .limit(3)
                .toList();
        Set<Long> pids = naps.stream()
                .map(CompletableFuture::join)
                .map(result -> Json.tree(result.payloadText()).path("pid").asLong())
                .collect(Collectors.toSet());

        assertEquals(2, pids.size(), "two JVMs served three overlapping invocations: " + pids);
        assertEquals(2, service.statistics().started());
    }
}
