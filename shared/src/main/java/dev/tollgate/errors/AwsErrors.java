package dev.tollgate.errors;

import java.util.Set;
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

    private static final String SDK_EXCEPTION = "software.amazon.awssdk.core.exception.SdkException";

    private AwsErrors() {}

    /**
     * True for the AWS SDK's exceptions, told by class name: a function without the SDK in its jar
     * (validate-request) then never loads it.
     */
    public static boolean isSdkException(Throwable failure) {
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            if (SDK_EXCEPTION.equals(type.getName())) {
                return true;
            }
        }
        return false;
    }

    /** As {@link #translate(String, SdkException)}, for a failure {@link #isSdkException} recognised. */
    public static TollgateException translate(String operation, RuntimeException sdkFailure) {
        return translate(operation, (SdkException) sdkFailure);
    }

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
