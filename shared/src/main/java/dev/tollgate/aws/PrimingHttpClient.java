package dev.tollgate.aws;

import dev.tollgate.priming.Priming;
import dev.tollgate.priming.SampleAnswers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The function's HTTP client, which during {@link Priming} answers every request itself, so that priming runs the
 * SDK's whole pipeline (marshalling, signing, unmarshalling) without sending anything: with the answer written down
 * for the sample being served ({@link SampleAnswers}), else with an empty success in the shape of the request's
 * protocol (JSON {@code {}}, a query-protocol {@code <XResponse>}, an empty REST-XML body). Outside priming it is the
 * real client.
 */
final class PrimingHttpClient implements SdkHttpClient {

    private static final String JSON = "application/x-amz-json-1.0";
    private static final String XML = "text/xml";

    private static final Pattern QUERY_ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");
    /** The service in a SigV4 credential scope: {@code Credential=AKID/20261205/us-east-1/elasticloadbalancing/aws4_request}. */
    private static final Pattern SIGNED_SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");

    /** While true on this thread, every JSON or query-protocol request is refused as AWS refuses a bad request. */
    private static final ThreadLocal<Boolean> REFUSING = ThreadLocal.withInitial(() -> false);

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
                return answer(request);
            }

            @Override
            public void abort() {
                // Answered at once: nothing to abort.
            }
        };
    }

    /** The sample's written answer to this operation while one is served ({@link SampleAnswers}), else an empty success. */
    static HttpExecuteResponse answer(HttpExecuteRequest request) {
        if (REFUSING.get()) {
            return refusal(request);
        }
        return Optional.ofNullable(operation(request))
                .flatMap(SampleAnswers::answer)
                .map(answer -> response(request, answer.body(), answer.json() ? JSON : XML))
                .orElseGet(() -> emptySuccess(request));
    }

    /**
     * The operation as its protocol names it: the JSON protocols' {@code X-Amz-Target}
     * ({@code DynamoDB_20120810.GetItem}), the query protocol's signed service and {@code Action}
     * ({@code elasticloadbalancing.DescribeListeners}); null for the REST protocols, which are always answered empty.
     */
    static String operation(HttpExecuteRequest request) {
        Optional<String> target = request.httpRequest().firstMatchingHeader("X-Amz-Target");
        if (target.isPresent()) {
            return target.get();
        }
        if (!isQuery(request)) {
            return null;
        }
        Matcher action = QUERY_ACTION.matcher(requestBody(request));
        Matcher service = SIGNED_SERVICE.matcher(
                request.httpRequest().firstMatchingHeader("Authorization").orElse(""));
        return action.find() && service.find() ? service.group(1) + "." + action.group(1) : null;
    }

    private static HttpExecuteResponse emptySuccess(HttpExecuteRequest request) {
        String contentType =
                request.httpRequest().firstMatchingHeader("Content-Type").orElse("");
        if (request.httpRequest().firstMatchingHeader("X-Amz-Target").isPresent() || contentType.contains("json")) {
            return response(request, "{}", JSON);
        }
        if (isQuery(request)) {
            Matcher action = QUERY_ACTION.matcher(requestBody(request));
            String operation = action.find() ? action.group(1) : "Unknown";
            return response(
                    request, "<" + operation + "Response><" + operation + "Result/></" + operation + "Response>", XML);
        }
        return response(request, "", "application/xml");
    }

    /**
     * Runs {@code calls} with every request refused (HTTP 400, the protocol's validation error): the SDK's error path
     * (the error's unmarshalling, the service exception and its builder, the retry strategy's verdict, the
     * interceptors' failure hooks) warmed once. A validation error is never retried, so no backoff is slept.
     */
    static void refusingEveryRequest(Runnable calls) {
        REFUSING.set(true);
        try {
            calls.run();
        } finally {
            REFUSING.set(false);
        }
    }

    private static HttpExecuteResponse refusal(HttpExecuteRequest request) {
        if (isQuery(request)) {
            return response(
                    request,
                    "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                            + "<Message>refused while priming</Message></Error><RequestId>priming</RequestId></ErrorResponse>",
                    XML,
                    400);
        }
        if (request.httpRequest().firstMatchingHeader("X-Amz-Target").isPresent()) {
            return response(
                    request, "{\"__type\":\"ValidationException\",\"message\":\"refused while priming\"}", JSON, 400);
        }
        return emptySuccess(request);
    }

    private static boolean isQuery(HttpExecuteRequest request) {
        return request.httpRequest()
                .firstMatchingHeader("Content-Type")
                .orElse("")
                .startsWith("application/x-www-form-urlencoded");
    }

    private static HttpExecuteResponse response(HttpExecuteRequest request, String body, String answerType) {
        return response(request, body, answerType, 200);
    }

    private static HttpExecuteResponse response(
            HttpExecuteRequest request, String body, String answerType, int status) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpResponse.Builder response = SdkHttpResponse.builder()
                .statusCode(status)
                .putHeader("Content-Type", answerType)
                .putHeader("Content-Length", String.valueOf(bytes.length))
                .putHeader("x-amzn-RequestId", "priming");
        if (isDynamoDb(request)) {
            // DynamoDB signs every answer with the CRC32 of its body, and the SDK checks it on the way in.
            CRC32 crc32 = new CRC32();
            crc32.update(bytes);
            response.putHeader("x-amz-crc32", String.valueOf(crc32.getValue()));
        }
        return HttpExecuteResponse.builder()
                .response(response.build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                .build();
    }

    private static boolean isDynamoDb(HttpExecuteRequest request) {
        return request.httpRequest()
                .firstMatchingHeader("X-Amz-Target")
                .filter(target -> target.startsWith("DynamoDB_"))
                .isPresent();
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
