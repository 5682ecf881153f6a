package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * How the local stack's services reach one another, as on AWS: the local Lambda endpoint reaches every function, the
 * Java ones it runs and those created in moto.
 */
class MotoEventDeliveryIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    @Test
    void theLocalLambdaEndpointHandsAFunctionItDoesNotRunToMotosInvoke() {
        String function = LambdaAliasFixture.createPythonFunction(stack, "probe-forwarded",
                "def handler(event, context):\n    return {'seen': event.get('ping')}\n", 10);
        try (LambdaClient lambda = LambdaClient.builder().region(Region.of(LocalStack.REGION)).endpointOverride(stack.lambdaEndpoint().uri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            var answered = lambda.invoke(invoke -> invoke.functionName(function).payload(SdkBytes.fromUtf8String("{\"ping\": \"pong\"}")));
            assertNull(answered.functionError());
            assertEquals("pong", Json.tree(answered.payload().asUtf8String()).path("seen").asText());
            var queued = lambda.invoke(invoke -> invoke.functionName(function).invocationType("Event").payload(SdkBytes.fromUtf8String("{}")));
            assertEquals(202, queued.statusCode(), "an asynchronous invocation is accepted, as Lambda answers it");
        }
    }

}
