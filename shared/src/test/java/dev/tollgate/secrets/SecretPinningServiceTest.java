package dev.tollgate.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.spec.SecretRef;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretPinningServiceTest {

    private static final String PASSWORD = "s3cr3t-Value-that-must-not-leak";

    /** A Secrets Manager of one secret, "db", whose versions and values the test sets. */
    private static final class FakeSecrets implements SecretResolver {
        final Map<String, List<String>> stages = new HashMap<>();
        final Map<String, String> values = new HashMap<>();
        Instant deleted;

        @Override
        public SecretMetadata describe(String secretId) {
            if (!secretId.equals("db")) {
                throw new SecretNotFoundException(
                        "secret '" + secretId + "' does not exist in this account and region");
            }
            return new SecretMetadata(
                    "db", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", deleted, stages);
        }

        @Override
        public SecretValue value(String secretArn, String versionId) {
            return new SecretValue(values.get(versionId));
        }
    }

    private final FakeSecrets secrets = new FakeSecrets();
    private final SecretPinningService service = new SecretPinningService(secrets);

    @Test
    void pinsTheCurrentVersionNotThePreviousOne() {
        secrets.stages.put("v1", List.of("AWSPREVIOUS"));
        secrets.stages.put("v2", List.of("AWSCURRENT"));
        secrets.values.put("v2", "{\"username\": \"app\", \"password\": \"" + PASSWORD + "\", \"port\": 5432}");

        PinnedSecrets pinned = service.pin(List.of(new SecretRef("db", List.of("username", "password"))));

        assertEquals(
                List.of(new PinnedSecret(
                        "db",
                        "db",
                        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
                        "v2",
                        List.of("password", "port", "username"))),
                pinned.secrets());
        assertFalse(pinned.toString().contains(PASSWORD));
    }

    @Test
    void aPendingVersionThatIsAlsoCurrentIsNoRotation() {
        secrets.stages.put("v2", List.of("AWSCURRENT", "AWSPENDING"));
        secrets.values.put("v2", "{\"password\": \"x\"}");

        assertEquals(
                "v2",
                service.pin(List.of(new SecretRef("db", List.of())))
                        .secrets()
                        .get(0)
                        .versionId());
    }

    @Test
    void aPendingVersionThatIsNotCurrentIsARotationToWaitFor() {
        secrets.stages.put("v1", List.of("AWSCURRENT"));
        secrets.stages.put("v2", List.of("AWSPENDING"));

        SecretRotationInProgressException rotating = assertThrows(
                SecretRotationInProgressException.class, () -> service.pin(List.of(new SecretRef("db", List.of()))));

        assertTrue(rotating.retryable());
        assertEquals(
                "secret 'db' is being rotated: version v2 is AWSPENDING and not yet AWSCURRENT; waiting for the rotation to finish",
                rotating.getMessage());
    }

    @Test
    void namesMissingKeysButNeverValues() {
        secrets.stages.put("v1", List.of("AWSCURRENT"));
        secrets.values.put("v1", "{\"password\": \"" + PASSWORD + "\"}");

        SecretInvalidException invalid = assertThrows(
                SecretInvalidException.class,
                () -> service.pin(List.of(new SecretRef("db", List.of("host", "password", "dbname")))));

        assertEquals(
                "secret 'db' (version v1) lacks required keys host, dbname; it has password", invalid.getMessage());
    }

    @Test
    void aValueThatIsNotAJsonObjectIsRefusedWithoutQuotingIt() {
        secrets.stages.put("v1", List.of("AWSCURRENT"));
        for (String value : List.of(PASSWORD, "[\"" + PASSWORD + "\"]", "{\"password\": \"" + PASSWORD + "\"", "")) {
            secrets.values.put("v1", value);
            SecretInvalidException invalid = assertThrows(
                    SecretInvalidException.class, () -> service.pin(List.of(new SecretRef("db", List.of("password")))));
            assertFalse(invalid.getMessage().contains(PASSWORD), invalid.getMessage());
            assertTrue(invalid.getMessage().contains("is not a JSON object"), invalid.getMessage());
        }
    }

    @Test
    void aSecretScheduledForDeletionIsRefused() {
        secrets.stages.put("v1", List.of("AWSCURRENT"));
        secrets.deleted = Instant.parse("2026-11-20T10:00:00Z");

        SecretNotFoundException deleted =
                assertThrows(SecretNotFoundException.class, () -> service.pin(List.of(new SecretRef("db", List.of()))));

        assertTrue(
                deleted.getMessage().startsWith("secret 'db' is scheduled for deletion (since 2026-11-20T10:00:00Z)"),
                deleted.getMessage());
    }

    @Test
    void aSecretValueNeverPrintsItself() {
        SecretValue value = new SecretValue("{\"password\": \"" + PASSWORD + "\"}");

        assertEquals("SecretValue[redacted]", value.toString());
        assertEquals(java.util.Set.of("password"), value.keys());
    }
}
