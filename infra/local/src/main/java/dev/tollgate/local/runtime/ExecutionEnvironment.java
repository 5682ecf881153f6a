package dev.tollgate.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Lambda execution environment: a JVM running AWS's runtime interface client with one function's
 * code, and the Lambda Runtime API it polls, served here on its own loopback port. It serves one
 * invocation at a time and stays up between invocations (warm), as on Lambda; an invocation past the
 * function's timeout, or a runtime that exits or fails its init, ends it.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html">Lambda runtime API</a>
 */
final class ExecutionEnvironment implements AutoCloseable {

    /** Lambda's limit on a synchronous invocation's response. */
    static final int MAX_RESPONSE_BYTES = 6_291_556;
    /**
     * Lambda's limit on an on-demand init; an init that overruns it is tried again within the first
     * invocation, under the function's timeout. So an init may take this long plus the timeout.
     */
    static final long INIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final String API = "/2018-06-01/runtime";
    private static final Pattern INVOCATION_PATH = Pattern.compile(API + "/invocation/([^/]+)/(response|error)");

    private final FunctionConfiguration function;
    private final FunctionLog log;
    private final HttpServer runtimeApi;
    private final ExecutorService apiThreads;
    private final Process process;
    private final long startedNanos = System.nanoTime();
    private final BlockingQueue<Invocation> mailbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<byte[]> initFailure = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit;
    /** Done once the runtime first asks for an invocation (its init is over), or once it failed or exited before that. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private volatile Invocation current;
    private volatile long initNanos = -1;
    private volatile String runtimeClient = "";
    private volatile boolean closed;
    private boolean initReported;
    private long lastUsedNanos = System.nanoTime();

    private ExecutionEnvironment(
            FunctionConfiguration function, FunctionLog log, RuntimeInterfaceClient client, Path taskRoot)
            throws IOException {
        this.function = function;
        this.log = log;
        this.apiThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "runtime-api-" + function.name());
            thread.setDaemon(true);
            return thread;
        });
        this.runtimeApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        runtimeApi.setExecutor(apiThreads);
        runtimeApi.createContext(API + "/", this::serve);
        runtimeApi.start();
        ProcessBuilder builder = new ProcessBuilder(client.command(function)).directory(taskRoot.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(taskRoot, client));
        log.connect(builder);
        try {
            this.process = builder.start();
        } catch (IOException e) {
            stopApi();
            throw e;
        }
        log.connected(process);
        this.exit = process.onExit().thenApply(Process::exitValue);
        exit.thenRun(() -> ready.complete(null));
        initFailure.thenRun(() -> ready.complete(null));
        log.initStart(
                function,
                "aws-lambda-java-runtime-interface-client " + client.version() + " on Java "
                        + System.getProperty("java.version"),
                process.pid());
    }

    /** Starts the function's JVM; its init runs while the first invocation waits for it, as in a cold start. */
    static ExecutionEnvironment start(
            FunctionConfiguration function, FunctionLog log, RuntimeInterfaceClient client, Path taskRoot)
            throws IOException {
        return new ExecutionEnvironment(function, log, client, taskRoot);
    }

    /**
     * The environment the function's code sees, and where its runtime finds Lambda's Runtime API.
     *
     * @see FunctionConfiguration#lambdaEnvironment
     */
    private Map<String, String> environment(Path taskRoot, RuntimeInterfaceClient client) {
        Map<String, String> environment = function.lambdaEnvironment(taskRoot);
        environment.put(
                "AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
        environment.put("LAMBDA_RUNTIME_DIR", client.folder().toString());
        return environment;
    }

    long pid() {
        return process.pid();
    }

    FunctionConfiguration function() {
        return function;
    }

    boolean alive() {
        return !closed && process.isAlive();
    }

    /** Waits as long as an init may take for this one to end (successfully or not). */
    void awaitInit() throws InterruptedException {
        await(ready, INIT_LIMIT_NANOS + TimeUnit.SECONDS.toNanos(function.timeoutSeconds()));
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    void markUsed() {
        lastUsedNanos = System.nanoTime();
    }

    /**
     * Runs one invocation: hands {@code event} to the runtime at its next poll and waits for its answer
     * until the function's timeout from that moment (a cold start's init may take {@link #INIT_LIMIT_NANOS}
     * plus the timeout). Called by one thread at a time.
     */
    InvocationResult invoke(byte[] event, String invokedFunctionArn) throws InterruptedException {
        Invocation invocation = new Invocation(event, invokedFunctionArn);
        mailbox.add(invocation);
        long timeoutNanos = TimeUnit.SECONDS.toNanos(function.timeoutSeconds());
        InvocationResult result;
        if (!await(
                CompletableFuture.anyOf(invocation.dispatched, initFailure, exit), INIT_LIMIT_NANOS + timeoutNanos)) {
            result = invocation.answer(InvocationResult.timedOut(invocation.requestId, function.timeoutSeconds()));
        } else if (!invocation.dispatched.isDone()) {
            result = initFailure.isDone()
                    ? invocation.answer(InvocationResult.error(initFailure.join(), InvocationResult.Status.INIT_ERROR))
                    : invocation.answer(InvocationResult.exited(invocation.requestId, exit.join()));
        } else {
            long remaining = invocation.dispatched.join() + timeoutNanos - System.nanoTime();
            await(CompletableFuture.anyOf(invocation.result, exit), remaining);
            result = invocation.result.isDone()
                    ? invocation.result.join()
                    : exit.isDone()
                            ? invocation.answer(InvocationResult.exited(invocation.requestId, exit.join()))
                            : invocation.answer(
                                    InvocationResult.timedOut(invocation.requestId, function.timeoutSeconds()));
        }
        if (!result.environmentReusable()) {
            // Lambda discards an environment whose invocation timed out or whose runtime failed: a JVM still running
            // the timed-out handler is killed, not reused.
            close();
        }
        if (invocation.dispatched.isDone()) {
            long initNanosOfThis = 0;
            if (!initReported) {
                initReported = true;
                initNanosOfThis = Math.max(initNanos, 0);
            }
            log.report(
                    function,
                    invocation.requestId,
                    (System.nanoTime() - invocation.dispatched.join()) / 1e6,
                    initNanosOfThis / 1e6,
                    maxMemoryUsedMb(),
                    result.status());
        }
        return result;
    }

    private static boolean await(CompletableFuture<?> future, long nanos) throws InterruptedException {
        try {
            future.get(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** The JVM's peak resident memory in MB (Linux's VmHWM), as Lambda's "Max Memory Used" reports the sandbox's. */
    long maxMemoryUsedMb() {
        return processStatusMb("VmHWM:");
    }

    /** The JVM's resident memory now in MB (VmRSS), 0 once it is gone. */
    long residentMemoryMb() {
        return processStatusMb("VmRSS:");
    }

    private long processStatusMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // The process has ended, or this is not Linux: nothing to measure.
        }
        return 0;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if ("GET".equals(method) && path.equals(API + "/invocation/next")) {
                next(exchange);
                return;
            }
            if ("POST".equals(method) && path.equals(API + "/init/error")) {
                // Completed before the runtime hears back: it exits right after, and its exit must not win.
                initFailure.complete(errorDocument(exchange));
                respond(exchange, 202, "{\"status\":\"OK\"}");
                return;
            }
            Matcher invocationPath = INVOCATION_PATH.matcher(path);
            if ("POST".equals(method) && invocationPath.matches()) {
                answer(
                        exchange,
                        invocationPath.group(1),
                        invocationPath.group(2).equals("response"));
                return;
            }
            respond(
                    exchange,
                    404,
                    "{\"errorMessage\":\"unknown route " + method + " " + path + "\",\"errorType\":\"NotFound\"}");
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    /** Blocks until an invocation is given (Lambda documents no timeout on this call), then hands it over with its headers. */
    private void next(HttpExchange exchange) throws IOException {
        if (initNanos < 0) {
            initNanos = System.nanoTime() - startedNanos;
            runtimeClient = String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent"));
            ready.complete(null);
        }
        Invocation invocation = null;
        while (invocation == null) {
            if (closed) {
                return;
            }
            try {
                invocation = mailbox.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (invocation != null && invocation.result.isDone()) {
                invocation = null;
            }
        }
        long timeoutMillis = TimeUnit.SECONDS.toMillis(function.timeoutSeconds());
        var headers = exchange.getResponseHeaders();
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + timeoutMillis));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.invokedFunctionArn);
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId);
        current = invocation;
        log.start(function, invocation.requestId);
        invocation.dispatched.complete(System.nanoTime());
        respond(exchange, 200, invocation.event);
    }

    /** The runtime's response or error for the invocation it holds: 202, as Lambda answers it. */
    private void answer(HttpExchange exchange, String requestId, boolean success) throws IOException {
        Invocation invocation = current;
        if (invocation == null || !invocation.requestId.equals(requestId)) {
            respond(
                    exchange,
                    400,
                    "{\"errorMessage\":\"Invalid request ID: " + requestId + "\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        current = null;
        if (!success) {
            invocation.answer(InvocationResult.error(errorDocument(exchange), InvocationResult.Status.ERROR));
            respond(exchange, 202, "{\"status\":\"OK\"}");
            return;
        }
        byte[] response = exchange.getRequestBody().readNBytes(MAX_RESPONSE_BYTES + 1);
        if (response.length > MAX_RESPONSE_BYTES) {
            invocation.answer(InvocationResult.error(
                    InvocationResult.document(
                            "Function.ResponseSizeTooLarge",
                            "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES
                                    + " bytes).",
                            List.of()),
                    InvocationResult.Status.ERROR));
            respond(
                    exchange,
                    413,
                    "{\"errorMessage\":\"Exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES
                            + " bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
            return;
        }
        invocation.answer(InvocationResult.success(response));
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    /**
     * The error document the runtime posted; without one, Lambda builds it from the
     * {@code Lambda-Runtime-Function-Error-Type} header, as the Runtime API's specification says.
     */
    private static byte[] errorDocument(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        try {
            JsonNode document = Json.MAPPER.readTree(body);
            if (document != null && document.isObject() && document.has("errorType")) {
                return body;
            }
        } catch (IOException notJson) {
            // Built from the header below.
        }
        String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return InvocationResult.document(
                errorType == null ? "Runtime.Unknown" : errorType, "Unknown application error occurred", List.of());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        respond(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The runtime interface client's User-Agent on its first poll ({@code aws-lambda-java/...}): which client runs the function. */
    String runtimeClient() {
        return runtimeClient;
    }

    /** Kills the JVM (as Lambda freezes and discards a sandbox: no shutdown hooks) and stops its Runtime API. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopApi();
    }

    private void stopApi() {
        runtimeApi.stop(0);
        apiThreads.shutdownNow();
    }

    /** One invocation: its request id, event and trace header, when the runtime took it, and its answer. */
    private static final class Invocation {
        final String requestId = UUID.randomUUID().toString();
        final byte[] event;
        final String invokedFunctionArn;
        /** Not sampled: there is no X-Ray daemon here, so the functions record no segments (as with tracing off). */
        final String traceId = "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + HexFormat.of().formatHex(randomBytes(12)) + ";Parent="
                + HexFormat.of().formatHex(randomBytes(8)) + ";Sampled=0";

        final CompletableFuture<Long> dispatched = new CompletableFuture<>();
        final CompletableFuture<InvocationResult> result = new CompletableFuture<>();

        Invocation(byte[] event, String invokedFunctionArn) {
            this.event = event;
            this.invokedFunctionArn = invokedFunctionArn;
        }

        /** The first answer wins (a response racing the timeout, say); returns the one that stands. */
        InvocationResult answer(InvocationResult answer) {
            result.complete(answer);
            return result.join();
        }

        private static byte[] randomBytes(int count) {
            byte[] bytes = new byte[count];
            ThreadLocalRandom.current().nextBytes(bytes);
            return bytes;
        }
    }
}
