package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.json.Json;
import dev.tollgate.local.Deployments.Finished;
import dev.tollgate.secrets.EcsTaskDefinitionPins;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.PinnedTaskDefinition;
import dev.tollgate.secrets.SecretPinningService;
import dev.tollgate.secrets.SecretsManagerSecretResolver;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SecretRef;
import dev.tollgate.traffic.CodeDeployPlan;
import dev.tollgate.traffic.LambdaAliasPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The secret versions FetchSecrets pinned reach the release itself, not only the migrations: a
 * rotation between FetchSecrets and the canary's start (a new AWSCURRENT version) must not change
 * what the canary reads. ECS (ALB and CodeDeploy): the canary runs a task definition revision whose
 * {@code valueFrom}s name the pinned version id. Lambda: the version Tollgate publishes names it in
 * its environment, and $LATEST is left as it was.
 */
class ReleaseSecretPinningIT {

    private static LocalStack stack;
    private static Deployments deployments;

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
        deployments = new Deployments(stack);
    }

    /** A secret of RDS shape; returns its ARN. */
    private static String createSecret(String name, String password) {
        try (SecretsManagerClient secrets = stack.secretsManager()) {
            return secrets.createSecret(create -> create.name(name).secretString(rds(password)))
                    .arn();
        }
    }

    /** What a rotation's finishSecret leaves: a new version labelled AWSCURRENT. Returns its id. */
    private static String rotate(String name, String password) {
        try (SecretsManagerClient secrets = stack.secretsManager()) {
            return secrets.putSecretValue(put -> put.secretId(name).secretString(rds(password)))
                    .versionId();
        }
    }

    private static String rds(String password) {
        return Json.write(new TreeMap<>(Map.of(
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

    /** FetchSecrets' pinning, as its function does it. */
    private static PinnedSecrets fetchSecrets(String id) {
        try (SecretsManagerClient secrets = stack.secretsManager()) {
            return new SecretPinningService(new SecretsManagerSecretResolver(secrets))
                    .pin(List.of(new SecretRef(id, List.of("password"))));
        }
    }

    private static TaskDefinition taskDefinition(EcsClient ecs, String arn) {
        return ecs.describeTaskDefinition(describe -> describe.taskDefinition(arn))
                .taskDefinition();
    }

    private static Map<String, String> secretsOf(TaskDefinition definition, String container) {
        return definition.containerDefinitions().stream()
                .filter(candidate -> container.equals(candidate.name()))
                .findFirst()
                .orElseThrow()
                .secrets()
                .stream()
                .collect(Collectors.toMap(Secret::name, Secret::valueFrom));
    }

    @Test
    void anEcsCanaryReadsThePinnedVersionThoughTheSecretRotatedBeforeItStarted() throws Exception {
        String service = Deployments.newService("pinecs");
        EcsAlbFixture fixture = deployments.fixture(service);
        String secretId = ReleaseDatabase.secretId(service);
        String firstPassword = "first-" + UUID.randomUUID();
        String rotatedPassword = "rotated-" + UUID.randomUUID();
        String arn = createSecret(secretId, firstPassword);
        String partialArn = arn.substring(0, arn.length() - 7);
        String unlisted = createSecret(service + "/other", "other-" + UUID.randomUUID());
        String parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/" + service + "/flag";
        String release;
        try (EcsClient ecs = stack.ecs()) {
            release = ecs.registerTaskDefinition(register -> register.family(service)
                            .tags(Tag.builder().key("team").value("payments").build())
                            .containerDefinitions(
                                    ContainerDefinition.builder()
                                            .name("app")
                                            .image("registry.example/" + service + ":v42")
                                            .memory(512)
                                            .essential(true)
                                            .secrets(
                                                    Secret.builder()
                                                            .name("DATABASE_SECRET")
                                                            .valueFrom(secretId)
                                                            .build(),
                                                    Secret.builder()
                                                            .name("DB_PASSWORD")
                                                            .valueFrom(arn + ":password::")
                                                            .build(),
                                                    Secret.builder()
                                                            .name("DB_HOST")
                                                            .valueFrom(partialArn + ":host:AWSCURRENT:")
                                                            .build(),
                                                    Secret.builder()
                                                            .name("OTHER")
                                                            .valueFrom(unlisted)
                                                            .build(),
                                                    Secret.builder()
                                                            .name("FLAG")
                                                            .valueFrom(parameter)
                                                            .build())
                                            .build(),
                                    ContainerDefinition.builder()
                                            .name("sidecar")
                                            .image("registry.example/proxy:1")
                                            .memory(128)
                                            .build()))
                    .taskDefinition()
                    .taskDefinitionArn();
        }
        ObjectNode spec = deployments.spec(fixture);
        ((ObjectNode) spec.get("target")).put("taskDefinition", release);
        spec.putArray("secrets")
                .addObject()
                .put("id", secretId)
                .putArray("requiredKeys")
                .add("password")
                .add("host");
        String[] rotatedVersion = new String[1];
        stack.lambdaEndpoint()
                .beforeNext(
                        "DeployCanaryFunction",
                        event -> "DEPLOY".equals(event.path("action").asText())
                                && service.equals(
                                        event.path("spec").path("service").asText()),
                        () -> rotatedVersion[0] = rotate(secretId, rotatedPassword));

        Finished finished = deployments.runUntil(spec, "WaitForCanary", Duration.ofMinutes(2));

        String pinned = finished.pinnedVersion(secretId).orElseThrow();
        assertNotNull(
                rotatedVersion[0],
                "the secret was rotated between FetchSecrets and DeployCanary: " + finished.outcome());
        assertNotEquals(rotatedVersion[0], pinned);
        String canaryDefinition = deployments.greenTaskDefinition(fixture);
        assertNotEquals(release, canaryDefinition, "the canary runs a revision derived from the release");
        try (EcsClient ecs = stack.ecs()) {
            Map<String, String> references = secretsOf(taskDefinition(ecs, canaryDefinition), "app");
            assertEquals(
                    Map.of(
                            "DATABASE_SECRET",
                            arn + ":::" + pinned,
                            "DB_PASSWORD",
                            arn + ":password::" + pinned,
                            "DB_HOST",
                            arn + ":host::" + pinned,
                            "OTHER",
                            unlisted,
                            "FLAG",
                            parameter),
                    references);
            List<Tag> tags = ecs.describeTaskDefinition(describe ->
                            describe.taskDefinition(canaryDefinition).include(TaskDefinitionField.TAGS))
                    .tags();
            assertTrue(
                    tags.contains(Tag.builder()
                            .key(EcsTaskDefinitionPins.DERIVED_FROM_TAG)
                            .value(release)
                            .build()),
                    tags.toString());
            assertTrue(
                    tags.contains(Tag.builder().key("team").value("payments").build()),
                    "the release's own tags travel: " + tags);
        }
        String deployed = deployments.record(finished.deploymentId()).orElseThrow().timeline().stream()
                .filter(entry -> "DeployCanary".equals(entry.state()))
                .map(TimelineEntry::message)
                .findFirst()
                .orElseThrow();
        assertTrue(
                deployed.contains(
                        "secrets pinned in " + canaryDefinition.substring(canaryDefinition.lastIndexOf('/') + 1)
                                + " (derived from " + release.substring(release.lastIndexOf('/') + 1)
                                + "): app/DATABASE_SECRET -> " + secretId
                                + " version " + pinned),
                deployed);
        assertTrue(
                deployed.contains("left as they are: app/OTHER (" + unlisted + ": a secret not listed in $.secrets"),
                deployed);
        String history = finished.fullText();
        for (String password : List.of(firstPassword, rotatedPassword)) {
            assertFalse(history.contains(password), "no secret value in the execution history");
        }
    }

    @Test
    void pinningTheSameReleaseAgainFindsItsRevisionInsteadOfRegisteringAnother() {
        String service = Deployments.newService("pinonce");
        String arn = createSecret(service + "/db", "pw-" + UUID.randomUUID());
        try (EcsClient ecs = stack.ecs()) {
            String release = ecs.registerTaskDefinition(register -> register.family(service)
                            .containerDefinitions(ContainerDefinition.builder()
                                    .name("app")
                                    .image("registry.example/app:v42")
                                    .memory(512)
                                    .secrets(Secret.builder()
                                            .name("DB_PASSWORD")
                                            .valueFrom(arn + ":password::")
                                            .build())
                                    .build()))
                    .taskDefinition()
                    .taskDefinitionArn();
            EcsTaskDefinitionPins pins = new EcsTaskDefinitionPins(ecs);
            PinnedSecrets pinned = fetchSecrets(service + "/db");

            PinnedTaskDefinition first = pins.pin(release, pinned, service + "-v42");
            PinnedTaskDefinition retried = pins.pin(release, pinned, service + "-v42");
            PinnedTaskDefinition fromTheDerived = pins.pin(first.taskDefinitionArn(), pinned, service + "-v42");

            assertTrue(first.derived());
            assertEquals(
                    first.taskDefinitionArn(), retried.taskDefinitionArn(), "a retry finds the revision it registered");
            assertEquals(
                    first.taskDefinitionArn(),
                    fromTheDerived.taskDefinitionArn(),
                    "a derived revision needs no further pinning");
            assertEquals(
                    2,
                    ecs.listTaskDefinitions(list -> list.familyPrefix(service))
                            .taskDefinitionArns()
                            .size(),
                    "the release and one derived revision");
            assertEquals(
                    PinnedTaskDefinition.unchanged(release),
                    pins.pin(release, PinnedSecrets.NONE, service + "-v42"),
                    "no secrets, nothing to pin");

            rotate(service + "/db", "pw-" + UUID.randomUUID());
            PinnedTaskDefinition afterRotation = pins.pin(release, fetchSecrets(service + "/db"), service + "-v43");
            assertNotEquals(first.taskDefinitionArn(), afterRotation.taskDefinitionArn(), "new pins, new revision");
        }
    }

    @Test
    void aLambdaReleaseNamesThePinnedVersionInItsEnvironmentThoughTheSecretRotatedBeforeItWasPublished() {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "pinla");
        String secretId = "pinla/db";
        createSecret(secretId, "pw-" + UUID.randomUUID());
        TrafficHarness harness = new TrafficHarness(stack);
        ObjectNode spec = DemoSpecs.lambdaAlias("pinla-v42", fixture, "alarm");
        spec.putArray("secrets")
                .addObject()
                .put("id", secretId)
                .putArray("requiredKeys")
                .add("password");
        DeploymentSpec deployment = harness.deployment(spec);
        PinnedSecrets pinned = fetchSecrets(secretId);
        String rotated = rotate(secretId, "pw-" + UUID.randomUUID());

        String detail = harness.traffic.deploy(deployment, pinned).detail();

        String version = ((LambdaAliasPlan) harness.record(deployment).plan()).canaryVersion();
        String pinnedVersion = pinned.secrets().get(0).versionId();
        assertNotEquals(rotated, pinnedVersion);
        try (LambdaClient lambda = stack.lambda()) {
            Map<String, String> released = lambda.getFunctionConfiguration(
                            get -> get.functionName(fixture.functionName()).qualifier(version))
                    .environment()
                    .variables();
            assertEquals("{\"" + secretId + "\":\"" + pinnedVersion + "\"}", released.get("TOLLGATE_SECRET_VERSIONS"));
            assertEquals("v42", released.get("RELEASE"), "the release's own configuration is published as it was");
            Map<String, String> latest = lambda.getFunctionConfiguration(
                            get -> get.functionName(fixture.functionName()))
                    .environment()
                    .variables();
            assertEquals(Map.of("RELEASE", "v42"), latest, "$LATEST is left as its owner set it");
        }
        assertTrue(
                detail.contains("secrets pinned in version " + version + "'s environment (TOLLGATE_SECRET_VERSIONS): "
                        + secretId + " version " + pinnedVersion),
                detail);
    }

    @Test
    void aCodeDeployEcsReleaseIsDeployedOnTheRevisionThatReadsThePinnedVersion() {
        String secretId = "cd-pin/db";
        String arn = createSecret(secretId, "pw-" + UUID.randomUUID());
        String release = CodeDeployFixture.ecsRelease(
                stack,
                "cd-pin",
                ContainerDefinition.builder()
                        .name("app")
                        .image("registry.example/cd-pin:v42")
                        .memory(512)
                        .secrets(Secret.builder()
                                .name("DB_PASSWORD")
                                .valueFrom(arn + ":password::")
                                .build())
                        .build());
        ObjectNode spec = (ObjectNode) Json.tree("""
                {"deploymentId": "cd-pin-v42", "service": "cd-pin",
                 "target": {"type": "CODEDEPLOY", "application": "cd-pin", "deploymentGroup": "cd-pin-prod",
                            "ecs": {"containerName": "app", "containerPort": 8080}},
                 "secrets": [{"id": "cd-pin/db", "requiredKeys": ["password"]}],
                 "steps": [{"weight": 10, "bakeSeconds": 60}, {"weight": 100}],
                 "analysis": {"periodSeconds": 5, "alarms": ["cd-pin-alarm"],
                   "canaryDimensions": {"Service": "cd-pin", "TaskDefinition": "{canaryVersion}"},
                   "baselineDimensions": {"Service": "cd-pin", "TaskDefinition": "cd-pin:0"}}}""");
        ((ObjectNode) spec.get("target").get("ecs")).put("taskDefinition", release);
        TrafficHarness harness = new TrafficHarness(stack);
        DeploymentSpec deployment = harness.deployment(spec);
        PinnedSecrets pinned = fetchSecrets(secretId);
        rotate(secretId, "pw-" + UUID.randomUUID());

        String detail = harness.traffic.deploy(deployment, pinned).detail();

        String deployed = ((CodeDeployPlan) harness.record(deployment).plan()).canaryVersion();
        assertNotEquals(release, deployed, "CodeDeploy deploys the derived revision");
        try (EcsClient ecs = stack.ecs()) {
            assertEquals(
                    Map.of(
                            "DB_PASSWORD",
                            arn + ":password::" + pinned.secrets().get(0).versionId()),
                    secretsOf(taskDefinition(ecs, deployed), "app"));
        }
        assertTrue(detail.contains(" of " + deployed + " with "), detail);
        assertTrue(detail.contains("; secrets pinned in cd-pin:"), detail);
        harness.traffic.rollback(deployment);
    }
}
