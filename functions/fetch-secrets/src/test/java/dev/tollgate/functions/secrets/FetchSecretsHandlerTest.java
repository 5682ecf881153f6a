package dev.tollgate.functions.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import dev.tollgate.secrets.SecretMetadata;
import dev.tollgate.secrets.SecretPinningService;
import dev.tollgate.secrets.SecretResolver;
import dev.tollgate.secrets.SecretRotationInProgressException;
import dev.tollgate.secrets.SecretValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler on the sample event events/fetch-secrets.json, with Secrets Manager faked behind SecretResolver. */
class FetchSecretsHandlerTest {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/db-AbCdEf";
    private static final String PASSWORD = "correct-horse-battery-staple";

    private Map<String, List<String>> stages = Map.of("v-1", List.of("AWSPREVIOUS"), "v-2", List.of("AWSCURRENT"));

    private final SecretResolver secrets = new SecretResolver() {
        @Override
        public SecretMetadata describe(String secretId) {
            return new SecretMetadata(secretId, ARN, null, stages);
        }

        @Override
        public SecretValue value(String secretArn, String versionId) {
            return new SecretValue(Json.write(Map.of(
                    "engine",
                    "postgres",
                    "host",
                    "db.internal",
                    "port",
                    5432,
                    "username",
                    "checkout",
                    "password",
                    PASSWORD,
                    "dbname",
                    "checkout")));
        }
    };

    private final FetchSecretsHandler handler = new FetchSecretsHandler(new SecretPinningService(secrets));

    @Test
    void pinsTheSampleEventsSecretToItsCurrentVersion() throws IOException {
        JsonNode output = invoke();

        JsonNode pinned = output.path("secrets").get(0);
        assertEquals("prod/checkout/db", pinned.path("id").asText());
        assertEquals(ARN, pinned.path("arn").asText());
        assertEquals("v-2", pinned.path("versionId").asText());
        assertEquals(
                List.of("dbname", "engine", "host", "password", "port", "username"),
                Json.MAPPER.convertValue(pinned.path("keys"), List.class));
        assertFalse(output.toString().contains(PASSWORD));
    }

    @Test
    void aRotationFailsWithTheErrorNameTheStateMachineRetries() throws IOException {
        stages = Map.of("v-2", List.of("AWSCURRENT"), "v-3", List.of("AWSPENDING"));

        SecretRotationInProgressException rotating =
                assertThrows(SecretRotationInProgressException.class, this::invoke);

        JsonNode retriers = Json.tree(Files.readString(Path.of("../../infra/statemachine/deployment.asl.json")))
                .path("States")
                .path("FetchSecrets")
                .path("Retry");
        assertTrue(
                retriers.findValues("ErrorEquals").stream()
                        .anyMatch(names ->
                                names.toString().contains(rotating.getClass().getName())),
                "deployment.asl.json retries " + rotating.getClass().getName());
    }

    private JsonNode invoke() throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(
                new ByteArrayInputStream(Files.readAllBytes(Path.of("../../events/fetch-secrets.json"))), output, null);
        return Json.tree(output.toString(StandardCharsets.UTF_8));
    }
}
