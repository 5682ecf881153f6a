package dev.tollgate.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.handler.FixedContext;
import dev.tollgate.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Lambda's Invoke API on 127.0.0.1 for the Step Functions engine in moto: runs the handler the
 * template names for the function, with that function's environment, and answers errors the way
 * Lambda does (HTTP 200, {@code X-Amz-Function-Error: Unhandled}, an error document naming the
 * exception class), so the ASL's Retry and Catch see the same error names as on AWS.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html">Invoke</a>
 */
public final class LocalLambdaEndpoint implements AutoCloseable {

    private static final String INVOKE_PREFIX = "/2015-03-31/functions/";

    private final Map<String, FunctionSlot> functions = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "local-lambda");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Deque<InjectedFailure>> injectedFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    private volatile OutputStream functionLog;

    static {
        LocalTelemetry.configure();
    }

    /** Listens on a free loopback port; functions are deployed to it afterwards. */
    public LocalLambdaEndpoint() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.server.setExecutor(workers);
        this.server.createContext("/", this::serve);
        this.server.start();
    }

    /** A function the endpoint can run: its handler class and the environment the template gives it. */
    public record LocalFunction(String handlerClass, FunctionEnvironment environment) {
    }

    /** Makes {@code functionName} invocable; its handler is built on the first invocation, as a cold start. */
    public void deploy(String functionName, LocalFunction function) {
        functions.put(functionName, new FunctionSlot(function));
    }

    /**
     * Sends what the functions print (their JSON logs and EMF metric lines) to {@code file}, as Lambda
     * sends it to CloudWatch Logs, instead of the console.
     */
    public void logTo(java.nio.file.Path file) {
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            functionLog = new java.io.BufferedOutputStream(new java.io.FileOutputStream(file.toFile(), true));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the function log " + file, e);
        }
        FunctionOutput.install();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Makes the next {@code times} invocations of {@code functionName} whose event contains
     * {@code eventContaining} throw what {@code failure} supplies, as the function itself would.
     */
    public void failNext(String functionName, String eventContaining, int times, Supplier<RuntimeException> failure) {
        failNext(functionName, event -> event.toString().contains(eventContaining), times, failure);
    }

    /** As {@link #failNext(String, String, int, Supplier)}, for invocations whose event matches {@code eventMatches}. */
    public void failNext(String functionName, Predicate<JsonNode> eventMatches, int times, Supplier<RuntimeException> failure) {
        requireKnown(functionName);
        Deque<InjectedFailure> queue = injectedFailures.computeIfAbsent(functionName, name -> new ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(new InjectedFailure(eventMatches, failure));
        }
    }

    /**
     * Runs {@code action} just before the next invocation of {@code functionName} whose event
     * matches, which then runs as usual: what changes between two states (a secret rotated between
     * FetchSecrets and DeployCanary) happens at a known point, however busy the machine is.
     */
    public void beforeNext(String functionName, Predicate<JsonNode> eventMatches, Runnable action) {
        failNext(functionName, eventMatches, 1, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Makes the next {@code times} matching invocations time out, answered as Lambda answers a
     * function that ran past its timeout (without the wait: the outcome is what matters here).
     */
    public void timeOutNext(String functionName, Predicate<JsonNode> eventMatches, int times) {
        failNext(functionName, eventMatches, times, () -> new FunctionTimedOut(functionName));
    }

    /** What happens to a matching invocation: the failure {@code failure} supplies, or none (null) after its side effect. */
    private record InjectedFailure(Predicate<JsonNode> eventMatches, Supplier<RuntimeException> failure) {
    }

    /** Stands for a function that ran out of time; answered with Lambda's timeout error document. */
    static final class FunctionTimedOut extends RuntimeException {
        FunctionTimedOut(String functionName) {
            super(functionName, null, false, false);
        }
    }

    private Optional<RuntimeException> injectedFailure(String functionName, String event) {
        Deque<InjectedFailure> queue = injectedFailures.get(functionName);
        if (queue == null || queue.isEmpty()) {
            return Optional.empty();
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(event);
        } catch (IOException notJson) {
            parsed = Json.MAPPER.getNodeFactory().textNode(event);
        }
        for (InjectedFailure candidate : queue) {
            if (candidate.eventMatches().test(parsed) && queue.remove(candidate)) {
                return Optional.ofNullable(candidate.failure().get());
            }
        }
        return Optional.empty();
    }

    public int invocationCount(String functionName) {
        return invocations.getOrDefault(functionName, new AtomicInteger()).get();
    }

    public List<String> functionNames() {
        return List.copyOf(functions.keySet());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith(INVOKE_PREFIX) || !path.endsWith("/invocations")) {
                respond(exchange, 404, Map.of(), "{\"Type\":\"User\",\"message\":\"unknown route " + path + "\"}");
                return;
            }
            String encodedName = path.substring(INVOKE_PREFIX.length(), path.length() - "/invocations".length());
            String name = functionName(URLDecoder.decode(encodedName, StandardCharsets.UTF_8));
            FunctionSlot slot = functions.get(name);
            if (slot == null) {
                respond(exchange, 404, Map.of("X-Amzn-ErrorType", "ResourceNotFoundException"),
                        "{\"Type\":\"User\",\"Message\":\"Function not found: " + name + "\"}");
                return;
            }
            byte[] event = exchange.getRequestBody().readAllBytes();
            invocations.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            try {
                Optional<RuntimeException> injected = injectedFailure(name, new String(event, StandardCharsets.UTF_8));
                if (injected.isPresent()) {
                    throw injected.get();
                }
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                OutputStream log = functionLog;
                if (log == null) {
                    slot.handler().handleRequest(new ByteArrayInputStream(event), output, localContext(name));
                } else {
                    FunctionOutput.capture(log, () -> {
                        slot.handler().handleRequest(new ByteArrayInputStream(event), output, localContext(name));
                        return null;
                    });
                }
                respond(exchange, 200, Map.of("X-Amz-Executed-Version", "$LATEST"), output.toString(StandardCharsets.UTF_8));
            } catch (Throwable failure) {
                respond(exchange, 200, Map.of("X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST"),
                        errorDocument(failure));
            }
        }
    }

    /** Lambda's error document for an unhandled Java exception: the class's binary name, the message, the frames. */
    static String errorDocument(Throwable failure) {
        ObjectNode document = Json.MAPPER.createObjectNode();
        if (failure instanceof FunctionTimedOut) {
            // What Lambda answers for a function past its timeout: no stack, the sandbox's error type.
            document.put("errorType", "Sandbox.Timedout");
            document.put("errorMessage", "RequestId: " + java.util.UUID.randomUUID() + " Error: Task timed out after 60.00 seconds");
            return Json.write(document);
        }
        document.put("errorMessage", failure.getMessage());
        document.put("errorType", failure.getClass().getName());
        ArrayNode frames = document.putArray("stackTrace");
        for (StackTraceElement frame : failure.getStackTrace()) {
            frames.add(frame.toString());
        }
        return Json.write(document);
    }

    /** Invoke accepts a name, a partial ARN or a full ARN, each with an optional ":qualifier". */
    static String functionName(String nameOrArn) {
        String name = nameOrArn;
        int function = name.indexOf("function:");
        if (function >= 0) {
            name = name.substring(function + "function:".length());
        }
        int qualifier = name.indexOf(':');
        return qualifier >= 0 ? name.substring(0, qualifier) : name;
    }

    private void requireKnown(String functionName) {
        if (!functions.containsKey(functionName)) {
            throw new IllegalArgumentException("no local function " + functionName + "; known: " + functions.keySet());
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        OutputStream log = functionLog;
        if (log != null) {
            synchronized (log) {
                try {
                    log.close();
                } catch (IOException ignored) {
                    // The log is complete up to the last flushed line; nothing to recover here.
                }
            }
        }
    }

    /** Builds the handler on first use, as a Lambda cold start would, then keeps it warm. */
    private static final class FunctionSlot {
        private final LocalFunction function;
        private RequestStreamHandler handler;

        FunctionSlot(LocalFunction function) {
            this.function = function;
        }

        synchronized RequestStreamHandler handler() {
            if (handler == null) {
                handler = instantiate(function);
            }
            return handler;
        }

        private static RequestStreamHandler instantiate(LocalFunction function) {
            try {
                Class<?> type = Class.forName(function.handlerClass());
                try {
                    return (RequestStreamHandler) type.getConstructor(FunctionEnvironment.class).newInstance(function.environment());
                } catch (NoSuchMethodException noEnvironmentConstructor) {
                    return (RequestStreamHandler) type.getConstructor().newInstance();
                }
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot load handler " + function.handlerClass() + ": " + e, e);
            }
        }
    }

    /** What a locally run handler sees of Lambda: its function name and ARN, a fresh request id, a minute to go. */
    private static Context localContext(String functionName) {
        return new FixedContext(functionName, "$LATEST", LocalStack.functionArn(functionName), UUID.randomUUID().toString(),
                60_000, System.err::println);
    }
}
