package dev.tollgate.traffic;

import dev.tollgate.errors.AwsErrors;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** One AWS call of a backend, its SDK failure sorted into retryable or terminal and named after the operation. */
public final class AwsCall {

    private AwsCall() {
    }

    public static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException failure) {
            throw AwsErrors.translate(operation, failure);
        }
    }
}
