package dev.tollgate.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.errors.AwsUnavailableException;
import dev.tollgate.errors.TollgateException;
import dev.tollgate.errors.UnexpectedFailureException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An SDK failure no adapter caught leaves a function as a retryable Tollgate error naming an AWS call, because building
 * AWS clients registered the SDK's translation; a bug stays an unexpected failure.
 */
class KnownFailuresTest {

    /** Reads an item on an endpoint nothing listens on, without catching what the SDK throws. */
    static final class Unguarded extends JsonHandler<JsonNode, JsonNode> {
        private final DynamoDbClient dynamo;

        Unguarded(DynamoDbClient dynamo) {
            super(JsonNode.class);
            this.dynamo = dynamo;
        }

        @Override
        protected JsonNode handle(JsonNode input, Context context) {
            if (input.path("bug").asBoolean()) {
                throw new IllegalStateException("a bug");
            }
            dynamo.getItem(get -> get.tableName("deployments").key(Map.of("pk", AttributeValue.fromS("x"))));
            return input;
        }
    }

    @Test
    void anUncaughtSdkFailureIsARetryableAwsCallFailureAndABugIsUnexpected() throws IOException {
        AwsClients clients = new AwsClients(new FunctionEnvironment(Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_ACCESS_KEY_ID",
                "test",
                "AWS_SECRET_ACCESS_KEY",
                "test",
                AwsClients.ENDPOINT_URL,
                "http://127.0.0.1:" + closedPort())));
        Unguarded handler = new Unguarded(clients.build(DynamoDbClient.builder()));

        AwsUnavailableException sdk = assertThrows(AwsUnavailableException.class, () -> invoke(handler, "{}"));
        assertThrows(UnexpectedFailureException.class, () -> invoke(handler, "{\"bug\":true}"));

        assertTrue(sdk.getMessage().startsWith("AWS call failed before AWS answered"), sdk.getMessage());
    }

    @Test
    void theSameTranslationRegisteredTwiceIsAskedOnce() {
        int[] asked = {0};
        Function<RuntimeException, Optional<TollgateException>> counting = failure -> {
            asked[0]++;
            return Optional.empty();
        };

        KnownFailures.register(counting);
        KnownFailures.register(counting);
        KnownFailures.translate(new IllegalStateException("unknown"));

        assertEquals(1, asked[0]);
    }

    private static void invoke(JsonHandler<?, ?> handler, String event) throws IOException {
        handler.handleRequest(
                new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), (Context)
                        null);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
