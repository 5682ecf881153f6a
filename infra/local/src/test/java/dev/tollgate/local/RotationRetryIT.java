package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.local.Deployments.Finished;
import dev.tollgate.traffic.TrafficWeights;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A rotation in progress is retried by the state machine with backoff, and when it persists past
 * the last retry the deployment fails before any traffic moves, naming the rotation.
 */
class RotationRetryIT {

    private static final String ROTATION = "dev.tollgate.secrets.SecretRotationInProgressException";

    private static LocalStack stack;
    private static Deployments deployments;

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
        deployments = new Deployments(stack);
    }

    @Test
    void aRotationThatFinishesDuringTheRetriesLetsTheDeploymentPinTheNewVersion() throws Exception {
        String service = Deployments.newService("rotdone");
        EcsAlbFixture fixture = deployments.fixture(service);
        ReleaseDatabase release = ReleaseDatabase.demo(stack, service, EcsAlbFixture.RELEASE_VERSION);
        String pending = beginRotation(release.secretId());
        ObjectNode spec = DemoSpecs.withMigrations(deployments.spec(fixture), release, false);
        Thread finisher = new Thread(() -> {
            try {
                // Finish the rotation only once FetchSecrets has been refused for it, however busy the stack is.
                deployments.awaitFailure(spec.get("deploymentId").asText(), ROTATION, Duration.ofSeconds(60));
                finishRotation(release.secretId(), pending);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        finisher.start();

        // Only the way to the canary matters here: watch 30 s, then stop the execution.
        Finished finished = deployments.run(spec, Duration.ofSeconds(30));
        finisher.join();
        stack.sfn().stopExecution(stop -> stop.executionArn(finished.executionArn()));

        assertTrue(finished.failuresOf(ROTATION) >= 1, "FetchSecrets was refused while the rotation ran");
        assertEquals(
                java.util.Optional.of(pending),
                finished.pinnedVersion(release.secretId()),
                "the version pinned is the rotation's new one");
        assertTrue(
                finished.history().stream()
                        .anyMatch(event -> event.stateEnteredEventDetails() != null
                                && "DeployCanary"
                                        .equals(event.stateEnteredEventDetails().name())),
                "the deployment went on to the canary");
    }

    @Test
    void aRotationStuckPastTheRetriesFailsTheDeploymentBeforeTraffic() throws Exception {
        String service = Deployments.newService("rotstuck");
        EcsAlbFixture fixture = deployments.fixture(service);
        ReleaseDatabase release = ReleaseDatabase.create(stack, service, EcsAlbFixture.RELEASE_VERSION, Map.of());
        String pending = beginRotation(release.secretId());
        ObjectNode spec = DemoSpecs.withMigrations(deployments.spec(fixture), release, false);

        Finished finished = deployments.run(spec, Duration.ofMinutes(4));

        assertEquals(5, finished.failuresOf(ROTATION), "one attempt and four retries (5 + 10 + 20 + 40 s apart)");
        assertEquals("FAILED", finished.outcome().status(), finished.outcome().toString());
        assertTrue(
                finished.outcome()
                        .reason()
                        .contains("SecretRotationInProgress: secret '" + release.secretId()
                                + "' is being rotated: version " + pending + " is AWSPENDING"),
                finished.outcome().reason());
        assertEquals(TrafficWeights.canaryAt(0), deployments.weights(fixture));
        assertEquals(fixture.liveTaskDefinition(), deployments.greenTaskDefinition(fixture));
        assertTrue(deployments.lockHolder(service).isEmpty(), "the lock is released");
    }

    private static String beginRotation(String secretId) {
        try (SecretsManagerClient secrets = stack.secretsManager()) {
            String current =
                    secrets.getSecretValue(get -> get.secretId(secretId)).secretString();
            return secrets.putSecretValue(
                            put -> put.secretId(secretId).secretString(current).versionStages("AWSPENDING"))
                    .versionId();
        }
    }

    private static void finishRotation(String secretId, String pending) {
        try (SecretsManagerClient secrets = stack.secretsManager()) {
            String current =
                    secrets
                            .describeSecret(describe -> describe.secretId(secretId))
                            .versionIdsToStages()
                            .entrySet()
                            .stream()
                            .filter(entry -> entry.getValue().contains("AWSCURRENT"))
                            .map(Map.Entry::getKey)
                            .findFirst()
                            .orElseThrow();
            secrets.updateSecretVersionStage(update -> update.secretId(secretId)
                    .versionStage("AWSCURRENT")
                    .moveToVersionId(pending)
                    .removeFromVersionId(current));
            secrets.updateSecretVersionStage(update ->
                    update.secretId(secretId).versionStage("AWSPENDING").removeFromVersionId(pending));
        }
    }
}
