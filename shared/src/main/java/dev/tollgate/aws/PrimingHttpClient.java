package dev.tollgate.aws;

import dev.tollgate.priming.Priming;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The function's HTTP client, which during {@link Priming} answers every request itself with an
 * empty success in the shape of the request's protocol (JSON {@code {}}, a query-protocol
 * {@code <XResponse>}, an empty REST-XML body), so that priming runs the SDK's whole pipeline
 * (marshalling, signing, unmarshalling) without sending anything. Outside priming it is the real client.
 */
final class PrimingHttpClient implements SdkHttpClient {

    private static final Pattern QUERY_ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");

    private final SdkHttpClient delegate;

    PrimingHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (!Priming.active()) {
            return delegate.prepareRequest(request);
        }
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return emptySuccess(request);
            }

            @Override
            public void abort() {
                // Answered at once: nothing to abort.
            }
        };
    }

    static HttpExecuteResponse emptySuccess(HttpExecuteRequest request) {
        String contentType =
                request.httpRequest().firstMatchingHeader("Content-Type").orElse("");
        String body;
        String answerType;
        if (request.httpRequest().firstMatchingHeader("X-Amz-Target").isPresent() || contentType.contains("json")) {
            body = "{}";
            answerType = "application/x-amz-json-1.0";
        } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
            Matcher action = QUERY_ACTION.matcher(requestBody(request));
            String operation = action.find() ? action.group(1) : "Unknown";
            body = "<" + operation + "Response><" + operation + "Result/></" + operation + "Response>";
            answerType = "text/xml";
        } else {
            body = "";
            answerType = "application/xml";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpExecuteResponse.builder()
                .response(SdkHttpResponse.builder()
                        .statusCode(200)
                        .putHeader("Content-Type", answerType)
                        .putHeader("Content-Length", String.valueOf(bytes.length))
                        .putHeader("x-amzn-RequestId", "priming")
                        .build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                .build();
    }

    private static String requestBody(HttpExecuteRequest request) {
        return request.contentStreamProvider()
                .map(provider -> {
                    try (InputStream in = provider.newStream()) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .orElse("");
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
