package dev.tollgate.secrets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.errors.AwsUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** A Secrets Manager that cannot be reached is a retryable failure that names the call, like an error it answers. */
class SecretsManagerSecretResolverTest {

    @Test
    void anUnreachableSecretsManagerIsARetryableFailureNamingTheCall() throws IOException {
        SecretsManagerSecretResolver resolver = new SecretsManagerSecretResolver(unreachable());

        AwsUnavailableException describe =
                assertThrows(AwsUnavailableException.class, () -> resolver.describe("prod/checkout/db"));
        AwsUnavailableException value = assertThrows(
                AwsUnavailableException.class,
                () -> resolver.value("arn:aws:secretsmanager:us-east-1:123456789012:secret:db", "v1"));

        assertTrue(
                describe.getMessage().startsWith("secretsmanager:DescribeSecret on 'prod/checkout/db' failed before"),
                describe.getMessage());
        assertTrue(value.getMessage().startsWith("secretsmanager:GetSecretValue on arn:"), value.getMessage());
    }

    /** A client of a loopback port nothing listens on (taken, then closed again). */
    private static SecretsManagerClient unreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return SecretsManagerClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(override -> override.retryStrategy(RetryMode.STANDARD))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
