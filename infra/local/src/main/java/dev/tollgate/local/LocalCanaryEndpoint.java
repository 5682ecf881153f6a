package dev.tollgate.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The release's tasks as a test listener reaches them on the local stack: an HTTP server on
 * 127.0.0.1 (a free port) answering every request with one status, 200 for a release that works
 * and 503 for one that cannot serve. moto has no running tasks, so this is what a smoke test probes.
 */
public final class LocalCanaryEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private LocalCanaryEndpoint(HttpServer server) {
        this.server = server;
    }

    public static LocalCanaryEndpoint answering(int status) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LocalCanaryEndpoint endpoint = new LocalCanaryEndpoint(server);
            server.createContext("/", exchange -> {
                endpoint.requests.incrementAndGet();
                byte[] body = ("{\"status\": " + status + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests reached the canary: a smoke test's, since no user can. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
