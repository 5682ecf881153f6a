package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.RetryableException;
import dev.tollgate.functions.secrets.FetchSecretsHandler;
import dev.tollgate.json.Json;
import dev.tollgate.secrets.PinnedSecret;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.SecretInvalidException;
import dev.tollgate.secrets.SecretNotFoundException;
import dev.tollgate.secrets.SecretRotationInProgressException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** FetchSecrets' handler on moto's Secrets Manager, with the sample event's spec pointed at each case's secret. */
class SecretPinningIT {

    private static LocalStack stack;
    private static SecretsManagerClient secrets;
    private static FetchSecretsHandler handler;

    private final String password = "pw-" + UUID.randomUUID();

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
        secrets = stack.secretsManager();
        handler = new FetchSecretsHandler(new Deployments(stack).functionEnvironment());
    }

    @AfterAll
    static void stop() {
        secrets.close();
    }

    @Test
    void pinsTheCurrentVersionByIdAndReportsKeyNamesOnly() throws IOException {
        String name = "pinned/" + UUID.randomUUID();
        secrets.createSecret(create -> create.name(name).secretString(rds("old-" + password)));
        String current = secrets.putSecretValue(put -> put.secretId(name).secretString(rds(password)))
                .versionId();

        PinnedSecret pinned = fetch(name, List.of("host", "password")).secrets().get(0);

        assertEquals(current, pinned.versionId());
        assertEquals(name, pinned.name());
        assertTrue(
                pinned.arn().startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-"),
                pinned.arn());
        assertEquals(List.of("dbname", "engine", "host", "password", "port", "username"), pinned.keys());
    }

    @Test
    void aRotationInProgressIsRetryableAndThePinFollowsItOnceFinished() throws IOException {
        String name = "rotating/" + UUID.randomUUID();
        String first = secrets.createSecret(create -> create.name(name).secretString(rds(password)))
                .versionId();
        // What a rotation function's createSecret step does: the next value, labelled AWSPENDING only.
        String pending = secrets.putSecretValue(put ->
                        put.secretId(name).secretString(rds("next-" + password)).versionStages("AWSPENDING"))
                .versionId();

        SecretRotationInProgressException rotating =
                assertThrows(SecretRotationInProgressException.class, () -> fetch(name, List.of("password")));
        assertTrue(rotating.retryable());
        assertTrue(rotating instanceof RetryableException);
        assertTrue(rotating.getMessage().contains(pending), rotating.getMessage());

        // finishSecret: AWSCURRENT moves to the pending version.
        secrets.updateSecretVersionStage(update -> update.secretId(name)
                .versionStage("AWSCURRENT")
                .moveToVersionId(pending)
                .removeFromVersionId(first));
        secrets.updateSecretVersionStage(
                update -> update.secretId(name).versionStage("AWSPENDING").removeFromVersionId(pending));

        assertEquals(pending, fetch(name, List.of("password")).secrets().get(0).versionId());
    }

    @Test
    void aMissingKeyIsNamedAndNoValueIsShown() {
        String name = "partial/" + UUID.randomUUID();
        secrets.createSecret(create ->
                create.name(name).secretString("{\"username\": \"app\", \"password\": \"" + password + "\"}"));

        SecretInvalidException missing =
                assertThrows(SecretInvalidException.class, () -> fetch(name, List.of("host", "password", "dbname")));

        assertTrue(missing.getMessage().contains("lacks required keys host, dbname"), missing.getMessage());
        assertFalse(missing.getMessage().contains(password));
        assertFalse(missing.retryable());
    }

    @Test
    void aValueThatIsNotJsonIsRefusedWithoutQuotingIt() {
        String name = "plain/" + UUID.randomUUID();
        secrets.createSecret(create -> create.name(name).secretString("{\"password\": \"" + password + "\" oops"));

        SecretInvalidException invalid =
                assertThrows(SecretInvalidException.class, () -> fetch(name, List.of("password")));

        assertTrue(invalid.getMessage().contains("is not a JSON object"), invalid.getMessage());
        assertFalse(invalid.getMessage().contains(password));
    }

    @Test
    void aSecretScheduledForDeletionIsRefused() {
        String name = "deleted/" + UUID.randomUUID();
        secrets.createSecret(create -> create.name(name).secretString(rds(password)));
        secrets.deleteSecret(delete -> delete.secretId(name).recoveryWindowInDays(7L));

        SecretNotFoundException deleted =
                assertThrows(SecretNotFoundException.class, () -> fetch(name, List.of("password")));

        assertTrue(deleted.getMessage().contains("scheduled for deletion"), deleted.getMessage());
        assertFalse(deleted.retryable());
    }

    @Test
    void aMissingSecretIsRefused() {
        SecretNotFoundException missing =
                assertThrows(SecretNotFoundException.class, () -> fetch("no/such/secret", List.of("password")));

        assertTrue(missing.getMessage().contains("'no/such/secret' does not exist"), missing.getMessage());
    }

    /** Runs the handler on events/fetch-secrets.json with its one secret replaced by {@code secretId}. */
    private PinnedSecrets fetch(String secretId, List<String> requiredKeys) throws IOException {
        ObjectNode event = (ObjectNode)
                Json.tree(Files.readString(RepositoryFiles.root().resolve(Path.of("events", "fetch-secrets.json"))));
        ObjectNode secret = (ObjectNode) event.withArray("/spec/secrets").get(0);
        secret.put("id", secretId);
        // This test is about pinning alone: no migrations name the secret.
        ((ObjectNode) event.path("spec"))
                .set("migrations", Json.MAPPER.valueToTree(dev.tollgate.spec.MigrationSpec.NONE));
        secret.putArray("requiredKeys")
                .addAll(requiredKeys.stream()
                        .map(key -> Json.MAPPER.getNodeFactory().textNode(key))
                        .toList());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(
                new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), output, null);
        String result = output.toString(StandardCharsets.UTF_8);
        assertFalse(result.contains(password), "the output holds no secret value");
        return Json.read(result, PinnedSecrets.class);
    }

    private static String rds(String password) {
        return Json.write(new java.util.TreeMap<>(java.util.Map.of(
                "engine",
                "postgres",
                "host",
                "db.internal",
                "port",
                5432,
                "username",
                "app",
                "password",
                password,
                "dbname",
                "checkout")));
    }
}
