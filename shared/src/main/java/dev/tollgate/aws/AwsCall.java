package dev.tollgate.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One AWS call of an adapter, its SDK failure sorted into retryable or terminal and named after the
 * operation ({@link AwsErrors#translate}). The one wrapper every adapter uses for a call with no failure of its own to handle.
 */
public final class AwsCall {

    private AwsCall() {}

    public static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException failure) {
            throw AwsErrors.translate(operation, failure);
        }
    }
}
