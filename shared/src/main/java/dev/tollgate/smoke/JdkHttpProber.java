package dev.tollgate.smoke;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * {@link HttpProber} on the JDK's HTTP client: no redirects followed, the body read and dropped. The
 * client (and its selector thread) is made on the first probe, not in a SnapStart snapshot of a
 * function whose deployments mostly have no probe.
 */
public final class JdkHttpProber implements HttpProber {

    private HttpClient client;

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(3))
                    .build();
        }
        return client;
    }

    @Override
    public ProbeReply get(String url, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .GET()
                .header("User-Agent", "tollgate-smoke-test")
                .build();
        try {
            return ProbeReply.status(client().send(request, HttpResponse.BodyHandlers.discarding())
                    .statusCode());
        } catch (HttpTimeoutException timedOut) {
            return ProbeReply.unreachable("no answer within " + timeout.toSeconds() + "s");
        } catch (IOException unreachable) {
            return ProbeReply.unreachable(
                    "unreachable (" + unreachable.getClass().getSimpleName() + ")");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return ProbeReply.unreachable("interrupted");
        }
    }
}
