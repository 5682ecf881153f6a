package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.json.Json;
import dev.tollgate.local.runtime.ExecutionEnvironments;
import dev.tollgate.local.runtime.FunctionConfiguration;
import dev.tollgate.local.runtime.InvocationResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Lambda's Invoke API on 127.0.0.1 for the Step Functions engine in moto: each invocation runs in the
 * function's own JVM under AWS's runtime interface client ({@link ExecutionEnvironments}), which loads
 * the handler the template names, with that function's environment, and reports errors as the managed
 * Java runtime does. Answers as Lambda does: HTTP 200 with the response, or with
 * {@code X-Amz-Function-Error: Unhandled} and the error document, so the ASL's Retry and Catch see
 * the same error names as on AWS. A function it does not run may be handed to moto's own Invoke (see
 * {@link #forwardOtherFunctionsTo}), where Python functions created in moto run.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html">Invoke</a>
 */
public final class LocalLambdaEndpoint implements AutoCloseable {

    private static final String INVOKE_PREFIX = "/2015-03-31/functions/";
    /** Invoke's request and answer headers that a forwarded invocation carries across (the rest are the connection's). */
    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of(
            "Authorization",
            "X-Amz-Date",
            "X-Amz-Security-Token",
            "X-Amz-Invocation-Type",
            "X-Amz-Log-Type",
            "X-Amz-Client-Context",
            "Content-Type");

    private static final List<String> FORWARDED_ANSWER_HEADERS = List.of(
            "X-Amz-Function-Error",
            "X-Amz-Executed-Version",
            "X-Amz-Log-Result",
            "X-Amzn-ErrorType",
            "X-Amzn-RequestId");

    private final ExecutionEnvironments environments;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "local-lambda");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Deque<InjectedFailure>> injectedFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    private final HttpClient forwarding = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private volatile URI otherFunctions;

    /** Listens on a free loopback port; functions are deployed to {@code environments} afterwards. */
    public LocalLambdaEndpoint(ExecutionEnvironments environments) throws IOException {
        this.environments = environments;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.server.setExecutor(workers);
        this.server.createContext("/", this::serve);
        this.server.start();
    }

    /** Makes {@code function} invocable; its first invocation starts its JVM, as a cold start. */
    public void deploy(FunctionConfiguration function) {
        environments.deploy(function);
    }

    /** Starts one JVM of each of {@code functionNames} in the background, in that order (see {@link ExecutionEnvironments#initialize}). */
    public void initialize(List<String> functionNames) {
        environments.initialize(functionNames);
    }

    /**
     * Hands every invocation of a function this endpoint does not run to the Lambda API at {@code lambdaApi} (moto),
     * as it is, and its answer back: one endpoint then reaches every function of the account, as Lambda's does,
     * whoever invokes it (an EventBridge rule's Lambda target, a test). Without it such a call answers 404.
     */
    public void forwardOtherFunctionsTo(URI lambdaApi) {
        this.otherFunctions = lambdaApi;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The function JVMs: how many started, the most at once and their memory then. */
    public ExecutionEnvironments.Statistics statistics() {
        return environments.statistics();
    }

    /** The PIDs of the function JVMs running now. */
    public List<Long> functionProcesses() {
        return environments.pids();
    }

    /**
     * Makes the next {@code times} invocations of {@code functionName} whose event contains
     * {@code eventContaining} fail with what {@code failure} supplies, as the function itself would
     * (the Java runtime's error document), without running it.
     */
    public void failNext(String functionName, String eventContaining, int times, Supplier<RuntimeException> failure) {
        failNext(functionName, event -> event.toString().contains(eventContaining), times, failure);
    }

    /** As {@link #failNext(String, String, int, Supplier)}, for invocations whose event matches {@code eventMatches}. */
    public void failNext(
            String functionName, Predicate<JsonNode> eventMatches, int times, Supplier<RuntimeException> failure) {
        inject(
                functionName,
                eventMatches,
                times,
                requestId -> InvocationResult.error(javaErrorDocument(failure.get()), InvocationResult.Status.ERROR));
    }

    /**
     * Runs {@code action} just before the next invocation of {@code functionName} whose event
     * matches, which then runs as usual: what changes between two states (a secret rotated between
     * FetchSecrets and DeployCanary) happens at a known point, however busy the machine is.
     */
    public void beforeNext(String functionName, Predicate<JsonNode> eventMatches, Runnable action) {
        inject(functionName, eventMatches, 1, requestId -> {
            action.run();
            return null;
        });
    }

    /**
     * Makes the next {@code times} matching invocations time out, answered as Lambda answers a
     * function that ran past its timeout (without the wait: the outcome is what matters here).
     */
    public void timeOutNext(String functionName, Predicate<JsonNode> eventMatches, int times) {
        int timeoutSeconds = requireKnown(functionName).timeoutSeconds();
        inject(functionName, eventMatches, times, requestId -> InvocationResult.timedOut(requestId, timeoutSeconds));
    }

    private void inject(
            String functionName,
            Predicate<JsonNode> eventMatches,
            int times,
            Function<String, InvocationResult> answer) {
        requireKnown(functionName);
        Deque<InjectedFailure> queue =
                injectedFailures.computeIfAbsent(functionName, name -> new ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(new InjectedFailure(eventMatches, answer));
        }
    }

    /** What answers a matching invocation instead of the function, or none (null: it runs as usual) after a side effect. */
    private record InjectedFailure(Predicate<JsonNode> eventMatches, Function<String, InvocationResult> answer) {}

    private Optional<InvocationResult> injectedFailure(String functionName, byte[] event) {
        Deque<InjectedFailure> queue = injectedFailures.get(functionName);
        if (queue == null || queue.isEmpty()) {
            return Optional.empty();
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(event);
        } catch (IOException notJson) {
            parsed = Json.MAPPER.getNodeFactory().textNode(new String(event, StandardCharsets.UTF_8));
        }
        for (InjectedFailure candidate : queue) {
            if (candidate.eventMatches().test(parsed) && queue.remove(candidate)) {
                return Optional.ofNullable(
                        candidate.answer().apply(UUID.randomUUID().toString()));
            }
        }
        return Optional.empty();
    }

    public int invocationCount(String functionName) {
        return invocations.getOrDefault(functionName, new AtomicInteger()).get();
    }

    public List<String> functionNames() {
        return environments.functionNames();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!"POST".equals(exchange.getRequestMethod())
                    || !path.startsWith(INVOKE_PREFIX)
                    || !path.endsWith("/invocations")) {
                respond(exchange, 404, Map.of(), "{\"Type\":\"User\",\"message\":\"unknown route " + path + "\"}");
                return;
            }
            String nameOrArn = URLDecoder.decode(
                    path.substring(INVOKE_PREFIX.length(), path.length() - "/invocations".length()),
                    StandardCharsets.UTF_8);
            String name = functionName(nameOrArn);
            Optional<FunctionConfiguration> function = environments.function(name);
            URI forwardTo = otherFunctions;
            if (function.isEmpty() && forwardTo != null) {
                forward(exchange, forwardTo);
                return;
            }
            if (function.isEmpty()) {
                respond(
                        exchange,
                        404,
                        Map.of("X-Amzn-ErrorType", "ResourceNotFoundException"),
                        "{\"Type\":\"User\",\"Message\":\"Function not found: " + name + "\"}");
                return;
            }
            byte[] event = exchange.getRequestBody().readAllBytes();
            invocations.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            InvocationResult result;
            try {
                Optional<InvocationResult> injected = injectedFailure(name, event);
                result = injected.isPresent()
                        ? injected.get()
                        : environments.invoke(name, event, invokedFunctionArn(nameOrArn, function.get()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                respond(
                        exchange,
                        500,
                        Map.of("X-Amzn-ErrorType", "ServiceException"),
                        "{\"Type\":\"Service\",\"Message\":\"the local Lambda service is stopping\"}");
                return;
            }
            Map<String, String> headers = result.functionError()
                    ? Map.of("X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST")
                    : Map.of("X-Amz-Executed-Version", "$LATEST");
            respond(exchange, 200, headers, result.payload());
        }
    }

    /** Sends the invocation on to {@code lambdaApi} with Invoke's headers, and answers with what it answered. */
    private void forward(HttpExchange exchange, URI lambdaApi) throws IOException {
        URI request = exchange.getRequestURI();
        String target = lambdaApi.toString().replaceAll("/$", "")
                + request.getRawPath()
                + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery());
        HttpRequest.Builder forwarded = HttpRequest.newBuilder(URI.create(target))
                .timeout(Duration.ofMinutes(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        exchange.getRequestBody().readAllBytes()));
        for (String header : FORWARDED_REQUEST_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                forwarded.header(header, value);
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = forwarding.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(
                    exchange,
                    500,
                    Map.of("X-Amzn-ErrorType", "ServiceException"),
                    "{\"Type\":\"Service\",\"Message\":\"the local Lambda service is stopping\"}");
            return;
        } catch (IOException unreachable) {
            respond(
                    exchange,
                    500,
                    Map.of("X-Amzn-ErrorType", "ServiceException"),
                    "{\"Type\":\"Service\",\"Message\":\"moto's Lambda did not answer: "
                            + unreachable.getClass().getSimpleName() + "\"}");
            return;
        }
        Map<String, String> headers = new HashMap<>();
        for (String header : FORWARDED_ANSWER_HEADERS) {
            answer.headers().firstValue(header).ifPresent(value -> headers.put(header, value));
        }
        respond(exchange, answer.statusCode(), headers, answer.body());
    }

    /** What the runtime is told it was invoked as: the ARN, with the alias or version the caller named. */
    private static String invokedFunctionArn(String nameOrArn, FunctionConfiguration function) {
        if (nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        int qualifier = nameOrArn.lastIndexOf(':');
        return qualifier > 0 && !nameOrArn.contains("function:")
                ? function.functionArn() + nameOrArn.substring(qualifier)
                : function.functionArn();
    }

    /** The Java runtime's error document for an unhandled exception: the class's binary name, the message, the frames. */
    static byte[] javaErrorDocument(Throwable failure) {
        return InvocationResult.document(
                failure.getClass().getName(),
                failure.getMessage(),
                Arrays.stream(failure.getStackTrace())
                        .map(StackTraceElement::toString)
                        .toList());
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

    private FunctionConfiguration requireKnown(String functionName) {
        return environments
                .function(functionName)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no local function " + functionName + "; known: " + environments.functionNames()));
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        respond(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops the endpoint, then every function JVM. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        environments.close();
    }
}
