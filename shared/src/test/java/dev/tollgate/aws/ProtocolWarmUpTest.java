package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.fakes.RefusingAwsEndpoint;
import dev.tollgate.priming.Priming;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Priming warms each client's protocol with one read answered inside the JVM: nothing reaches AWS. */
class ProtocolWarmUpTest {

    private RefusingAwsEndpoint aws;
    private AwsClients clients;

    @BeforeEach
    void startAws() {
        aws = new RefusingAwsEndpoint();
        // No credentials: resolving the function's own would fail or reach out.
        clients = new AwsClients(
                new FunctionEnvironment(Map.of("AWS_REGION", "us-east-1", AwsClients.ENDPOINT_URL, aws.url())));
    }

    @AfterEach
    void stopAws() {
        aws.close();
    }

    @Test
    void aQueryAndAJsonClientEachAnswerOneReadWithoutSendingAnything() {
        AtomicReference<String> queryRead = new AtomicReference<>();
        AtomicReference<String> jsonRead = new AtomicReference<>();

        Priming.run(() -> {
            queryRead.set(ProtocolWarmUp.run(clients.build(CloudWatchClient.builder())));
            jsonRead.set(ProtocolWarmUp.run(clients.build(DynamoDbClient.builder())));
        });

        assertNotNull(queryRead.get(), "CloudWatch (query protocol) answered a read");
        assertNotNull(jsonRead.get(), "DynamoDB (JSON protocol) answered a read");
        assertEquals(0, aws.requestsReceived(), "nothing reached AWS");
    }

    @Test
    void whileRefusingEachProtocolFailsItsCallWithAValidationErrorThatIsNotRetried() {
        CloudWatchClient cloudWatch = clients.build(CloudWatchClient.builder());
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        AtomicReference<AwsServiceException> queryRefusal = new AtomicReference<>();
        AtomicReference<AwsServiceException> jsonRefusal = new AtomicReference<>();

        Priming.run(() -> PrimingHttpClient.refusingEveryRequest(() -> {
            queryRefusal.set(assertThrows(AwsServiceException.class, cloudWatch::describeAlarms));
            jsonRefusal.set(assertThrows(AwsServiceException.class, dynamo::listTables));
        }));

        assertEquals("ValidationError", queryRefusal.get().awsErrorDetails().errorCode());
        assertEquals("ValidationException", jsonRefusal.get().awsErrorDetails().errorCode());
        assertEquals(1, jsonRefusal.get().numAttempts(), "a refusal is not retried: no backoff slept");
        assertEquals(0, aws.requestsReceived(), "nothing reached AWS");
    }

    @Test
    void aDynamoDbAnswerCarriesTheCrc32OfItsBodyAsDynamoDbsDo() throws Exception {
        HttpExecuteRequest getItem = HttpExecuteRequest.builder()
                .request(SdkHttpRequest.builder()
                        .method(SdkHttpMethod.POST)
                        .uri(URI.create(aws.url()))
                        .putHeader("X-Amz-Target", "DynamoDB_20120810.ListTables")
                        .putHeader("Content-Type", "application/x-amz-json-1.0")
                        .build())
                .build();

        HttpExecuteResponse answer = PrimingHttpClient.answer(getItem);

        byte[] body = answer.responseBody().orElseThrow().readAllBytes();
        CRC32 crc32 = new CRC32();
        crc32.update(body);
        assertEquals(
                List.of(String.valueOf(crc32.getValue())),
                answer.httpResponse().headers().get("x-amz-crc32"),
                "the SDK checks the header: priming runs its checksum path as AWS's answers do");
    }
}
