package dev.tollgate.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.local.FaultPlan.Kind;
import dev.tollgate.local.FaultPlan.Rule;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sits between the functions and moto and makes AWS unreliable on purpose: for each call it names
 * the service (from the SigV4 credential scope) and the operation (from {@code X-Amz-Target} or the
 * query protocol's {@code Action}), draws from the {@link FaultPlan}, and either answers with the
 * fault as that service would or forwards the call untouched.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    private static final Pattern CREDENTIAL_SCOPE =
            Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");
    private static final Pattern QUERY_ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");
    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "content-length", "host", "transfer-encoding", "expect", "upgrade", "keep-alive");

    private final URI target;
    private final FaultPlan plan;
    private final Random random;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public FaultInjectingProxy(URI target, FaultPlan plan, long seed) throws IOException {
        this.target = target;
        this.plan = plan;
        this.random = new Random(seed);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        this.server.setExecutor(workers);
        this.server.createContext("/", this::serve);
        this.server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Calls seen and faults injected, keyed {@code service:Operation:outcome} ({@code forwarded} or a fault kind). */
    public Map<String, Long> counts() {
        Map<String, Long> snapshot = new java.util.TreeMap<>();
        counts.forEach((key, count) -> snapshot.put(key, count.get()));
        return snapshot;
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String service = service(exchange.getRequestHeaders().getFirst("Authorization"));
        String operation = operation(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
        Optional<Rule> fault;
        synchronized (random) {
            fault = plan.draw(service, operation, random);
        }
        String outcome = fault.map(rule -> rule.kind().name().toLowerCase(java.util.Locale.ROOT))
                .orElse("forwarded");
        counts.computeIfAbsent(service + ":" + operation + ":" + outcome, key -> new AtomicLong())
                .incrementAndGet();
        try {
            if (fault.isPresent() && fault.get().kind() == Kind.RESET) {
                // Closing without a status line is what a dropped connection looks like to the SDK.
                exchange.getResponseBody().close();
                exchange.close();
                return;
            }
            if (fault.isPresent() && fault.get().kind() == Kind.SLOW) {
                Thread.sleep(fault.get().delayMillis());
            }
            if (fault.isPresent()
                    && (fault.get().kind() == Kind.THROTTLE || fault.get().kind() == Kind.SERVER)) {
                answerWithError(exchange, service, fault.get().kind(), isJsonProtocol(exchange));
                return;
            }
            forward(exchange, body, fault.isPresent() && fault.get().kind() == Kind.LOST);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } catch (IOException e) {
            exchange.close();
        }
    }

    private void forward(HttpExchange exchange, byte[] body, boolean loseTheAnswer)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        target.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (loseTheAnswer) {
            exchange.getResponseBody().close();
            exchange.close();
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    /**
     * The error each protocol's SDK parser expects: S3's REST-XML {@code <Error>} document, a JSON
     * {@code __type}, or a query-protocol {@code <ErrorResponse>}.
     */
    private static void answerWithError(HttpExchange exchange, String service, Kind kind, boolean json)
            throws IOException {
        boolean throttled = kind == Kind.THROTTLE;
        String message = throttled ? "Rate exceeded (injected)" : "We encountered an internal error (injected)";
        int status;
        String body;
        if ("s3".equals(service)) {
            // S3 says "slow down" with a 503.
            status = throttled ? 503 : 500;
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            body = "<Error><Code>" + (throttled ? "SlowDown" : "InternalError") + "</Code><Message>" + message
                    + "</Message><RequestId>injected</RequestId></Error>";
        } else {
            status = throttled ? 400 : (Math.random() < 0.5 ? 500 : 503);
            String code = throttled
                    ? throttlingCode(service, json)
                    : (status == 503 ? "ServiceUnavailable" : "InternalFailure");
            if (json) {
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
                body = "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}";
            } else {
                exchange.getResponseHeaders().set("Content-Type", "text/xml");
                body = "<ErrorResponse><Error><Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code
                        + "</Code><Message>" + message
                        + "</Message></Error><RequestId>injected</RequestId></ErrorResponse>";
            }
        }
        exchange.getResponseHeaders().set("x-amzn-RequestId", "injected");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Each service's own name for "slow down": the SDK retries all of them as throttling. */
    private static String throttlingCode(String service, boolean json) {
        return switch (service) {
            case "lambda" -> "TooManyRequestsException";
            case "dynamodb" -> "ThrottlingException";
            default -> json ? "ThrottlingException" : "Throttling";
        };
    }

    private static boolean isJsonProtocol(HttpExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        return exchange.getRequestHeaders().containsKey("X-Amz-Target")
                || (contentType != null && contentType.contains("json"));
    }

    static String service(String authorization) {
        if (authorization == null) {
            return "unknown";
        }
        Matcher scope = CREDENTIAL_SCOPE.matcher(authorization);
        return scope.find() ? scope.group(1) : "unknown";
    }

    static String operation(String amzTarget, byte[] body) {
        if (amzTarget != null && amzTarget.contains(".")) {
            return amzTarget.substring(amzTarget.lastIndexOf('.') + 1);
        }
        Matcher action = QUERY_ACTION.matcher(new String(body, StandardCharsets.UTF_8));
        return action.find() ? action.group(1) : "unknown";
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
