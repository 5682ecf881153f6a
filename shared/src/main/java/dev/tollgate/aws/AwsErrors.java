package dev.tollgate.aws;

import dev.tollgate.errors.AwsCallFailedException;
import dev.tollgate.errors.AwsUnavailableException;
import dev.tollgate.errors.TollgateException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Sorts AWS SDK failures into what the state machine should retry and what it should not. */
public final class AwsErrors {

    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html lists these as throttling.
    private static final Set<String> THROTTLING_CODES = Set.of(
            "Throttling",
            "ThrottlingException",
            "ThrottledException",
            "RequestThrottledException",
            "TooManyRequestsException",
            "ProvisionedThroughputExceededException",
            "TransactionInProgressException",
            "RequestLimitExceeded",
            "BandwidthLimitExceeded",
            "LimitExceededException",
            "RequestThrottled",
            "SlowDown",
            "PriorRequestNotComplete",
            "EC2ThrottledException");

    /** An SDK failure no adapter caught, named as an AWS call: {@link AwsClients} registers it with the handler. */
    public static final Function<RuntimeException, Optional<TollgateException>> UNCAUGHT_SDK_FAILURES =
            failure -> failure instanceof SdkException sdk ? Optional.of(translate("AWS call", sdk)) : Optional.empty();

    private AwsErrors() {}

    /** Turns an SDK exception into a Tollgate error naming the call; never includes request payloads. */
    public static TollgateException translate(String operation, SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            // A 5xx without an error document (moto's tracebacks, a proxy's page) has no error code.
            String code = service.awsErrorDetails() == null
                            || service.awsErrorDetails().errorCode() == null
                    ? "Unknown"
                    : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null
                    ? service.getMessage()
                    : service.awsErrorDetails().errorMessage();
            String described = operation + " failed: " + code + " (HTTP " + service.statusCode() + ")"
                    + (message == null ? "" : ": " + message);
            if (service.isThrottlingException() || THROTTLING_CODES.contains(code) || service.statusCode() >= 500) {
                return new AwsUnavailableException(described);
            }
            return new AwsCallFailedException(described);
        }
        if (failure instanceof SdkClientException) {
            return new AwsUnavailableException(operation + " failed before AWS answered: " + failure.getMessage());
        }
        return new AwsCallFailedException(operation + " failed: " + failure.getMessage());
    }
}
