package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tollgate.errors.AwsCallFailedException;
import dev.tollgate.errors.AwsUnavailableException;
import dev.tollgate.errors.TollgateException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {

    private static AwsServiceException serviceError(String code, int status) {
        return AwsServiceException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage("details")
                        .build())
                .build();
    }

    @Test
    void throttlingIsRetried() {
        TollgateException translated = AwsErrors.translate("ELBv2 ModifyListener", serviceError("Throttling", 400));

        assertInstanceOf(AwsUnavailableException.class, translated);
        assertEquals("ELBv2 ModifyListener failed: Throttling (HTTP 400): details", translated.getMessage());
    }

    @Test
    void serverErrorsAndLostConnectionsAreRetried() {
        assertInstanceOf(AwsUnavailableException.class, AwsErrors.translate("x", serviceError("InternalFailure", 503)));
        assertInstanceOf(
                AwsUnavailableException.class, AwsErrors.translate("x", SdkClientException.create("Connection reset")));
    }

    @Test
    void refusalsAreNotRetried() {
        TollgateException translated =
                AwsErrors.translate("ECS UpdateService", serviceError("AccessDeniedException", 400));

        assertInstanceOf(AwsCallFailedException.class, translated);
        assertEquals(false, translated.retryable());
    }
}
