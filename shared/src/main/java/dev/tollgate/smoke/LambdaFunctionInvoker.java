package dev.tollgate.smoke;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.errors.RetryableException;
import dev.tollgate.errors.TollgateException;
import dev.tollgate.json.Json;
import java.time.Duration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * {@link FunctionInvoker} on Lambda's {@code Invoke} (RequestResponse). A function error
 * ({@code X-Amz-Function-Error}) and a refusal (no such function, no permission) are replies, not
 * exceptions; only Lambda being unavailable (throttled or 5xx after the SDK's retries) is thrown as
 * retryable, since the function has then not run.
 */
public final class LambdaFunctionInvoker implements FunctionInvoker {

    private static final int MAX_DETAIL_CHARS = 200;

    private final LambdaClient lambda;

    public LambdaFunctionInvoker(LambdaClient lambda) {
        this.lambda = lambda;
    }

    @Override
    public FunctionReply invoke(String function, String payload, Duration timeout) {
        InvokeResponse response;
        try {
            response = lambda.invoke(invoke -> invoke.functionName(function)
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromUtf8String(payload))
                    .overrideConfiguration(
                            override -> override.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout)));
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException timedOut) {
            return FunctionReply.failed(FunctionReply.Kind.TIMED_OUT, "no answer within " + timeout.toSeconds() + "s");
        } catch (SdkException failure) {
            TollgateException translated = AwsErrors.translate("Lambda Invoke", failure);
            if (translated instanceof RetryableException retryable) {
                throw retryable;
            }
            return FunctionReply.failed(FunctionReply.Kind.UNREACHABLE, translated.getMessage());
        }
        String body = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            return FunctionReply.failed(FunctionReply.Kind.FUNCTION_ERROR, errorOf(body));
        }
        return FunctionReply.answered(body);
    }

    /** Lambda's error document: {@code {"errorType", "errorMessage"}}, cut short (it is the function's own text). */
    private static String errorOf(String body) {
        try {
            var error = Json.tree(body);
            String described = error.path("errorType").asText("Unhandled") + ": "
                    + error.path("errorMessage").asText("");
            return described.length() <= MAX_DETAIL_CHARS
                    ? described
                    : described.substring(0, MAX_DETAIL_CHARS - 1) + "…";
        } catch (RuntimeException notJson) {
            return "a function error without an error document";
        }
    }
}
