package dev.tollgate.fakes;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An AWS endpoint on a free loopback port that counts every request it gets and answers each with HTTP 500: tests of
 * priming point the clients here and require that nothing arrives.
 */
public final class RefusingAwsEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requestsReceived = new AtomicInteger();

    public RefusingAwsEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requestsReceived.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int requestsReceived() {
        return requestsReceived.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
