package dev.tollgate.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * SnapStart priming of the HTTP client's own path (the JDK's {@code HttpURLConnection}, its socket, streams and
 * keep-alive bookkeeping), which priming's in-JVM answers never reach: one JSON request through the real client to a
 * server on the loopback interface that this class opens, answers once and closes. Nothing leaves the machine, no
 * connection is left open ({@code Connection: close}), and AWS is not involved.
 */
final class LoopbackExchange {

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
    private static final int TIMEOUT_MILLIS = 5_000;

    private LoopbackExchange() {}

    /** One request and its answer over loopback; the HTTP status, or -1 where the sandbox allows no loopback server. */
    static int run(SdkHttpClient client) {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(TIMEOUT_MILLIS);
            Thread answerer = new Thread(() -> answerOnce(server), "priming-loopback");
            answerer.setDaemon(true);
            answerer.start();
            SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                    .method(SdkHttpMethod.POST)
                    .uri(URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                            + server.getLocalPort() + "/"))
                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                    .putHeader("Content-Length", String.valueOf(BODY.length))
                    .contentStreamProvider(() -> new ByteArrayInputStream(BODY))
                    .build();
            HttpExecuteResponse response = client.prepareRequest(HttpExecuteRequest.builder()
                            .request(request)
                            .contentStreamProvider(
                                    request.contentStreamProvider().orElseThrow())
                            .build())
                    .call();
            if (response.responseBody().isPresent()) {
                try (AbortableInputStream body = response.responseBody().get()) {
                    body.readAllBytes();
                }
            }
            answerer.join(TIMEOUT_MILLIS);
            return response.httpResponse().statusCode();
        } catch (IOException unavailable) {
            return -1;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Reads one request (headers and its Content-Length of body) and answers {@code {}} with the connection closed. */
    private static void answerOnce(ServerSocket server) {
        try (Socket connection = server.accept()) {
            connection.setSoTimeout(TIMEOUT_MILLIS);
            InputStream in = connection.getInputStream();
            String headers = readHeaders(in);
            int length = contentLength(headers);
            in.readNBytes(length);
            OutputStream out = connection.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: " + BODY.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(BODY);
            out.flush();
        } catch (IOException ignored) {
            // The client then fails too, and run() reports it: priming is an optimisation.
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        int next;
        while ((next = in.read()) >= 0) {
            headers.append((char) next);
            if (headers.length() >= 4 && headers.lastIndexOf("\r\n\r\n") == headers.length() - 4) {
                break;
            }
        }
        return headers.toString();
    }

    private static int contentLength(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }
}
