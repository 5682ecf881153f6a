package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.spec.MigrationSpec.LaunchType;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The secrets and migrations parts of the spec: every violation with its path, at once; normalised specs re-validate to themselves. */
class SecretsAndMigrationsValidationTest {

    private final SpecValidator validator = new SpecValidator();

    private static ObjectNode base() {
        ObjectNode spec = (ObjectNode) Json.tree("""
                {"deploymentId": "checkout-v42", "service": "checkout",
                 "target": {"type": "ECS_ALB", "cluster": "prod", "blueService": "checkout-blue", "greenService": "checkout-green",
                   "listenerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2",
                   "blueTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/checkout-blue/6d0ecf831eec9f09",
                   "greenTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/checkout-green/7e1fdf942ffdaf1a",
                   "taskDefinition": "checkout:42"},
                 "steps": [{"weight": 10, "bakeSeconds": 60}, {"weight": 100}],
                 "analysis": {"alarms": ["checkout-p99"]}}""");
        spec.putArray("secrets")
                .addObject()
                .put("id", "prod/checkout/db")
                .putArray("requiredKeys")
                .add("host")
                .add("port")
                .add("username")
                .add("password")
                .add("dbname");
        return spec;
    }

    private Map<String, String> violations(ObjectNode spec) {
        InvalidSpecException invalid = assertThrows(InvalidSpecException.class, () -> validator.validate(spec));
        return invalid.violations().stream()
                .collect(Collectors.toMap(Violation::path, Violation::problem, (a, b) -> a + " | " + b));
    }

    private DeploymentSpec roundTrip(ObjectNode raw) {
        DeploymentSpec spec = validator.validate(raw);
        ObjectNode normalised = Json.MAPPER.valueToTree(spec);
        // StepSpec.isPromotion() serialises as "promotion", which the steps' rules do not know (not this test's
        // concern).
        normalised.withArray("steps").forEach(step -> ((ObjectNode) step).remove("promotion"));
        assertEquals(spec, validator.validate(normalised), "a normalised spec validates to itself");
        return spec;
    }

    @Test
    void acceptsFlywayWithASecretNamedByIdOrArn() {
        ObjectNode raw = base();
        ((ArrayNode) raw.get("secrets"))
                .addObject()
                .put("id", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/api-AbCdEf");
        raw.putObject("migrations")
                .put("mode", "FLYWAY")
                .put("secretId", "prod/checkout/db")
                .put("dryRun", true)
                .putArray("locations")
                .add("s3:tollgate-artifacts/checkout/v42/sql")
                .add("classpath:db/migration")
                .add("filesystem:/opt/sql");

        DeploymentSpec spec = roundTrip(raw);

        assertEquals(2, spec.secrets().size());
        assertEquals(MigrationMode.FLYWAY, spec.migrations().mode());
        assertTrue(spec.migrations().dryRun());
        assertEquals(MigrationSpec.DEFAULT_TIMEOUT_SECONDS, spec.migrations().timeoutSeconds());
        assertEquals(3, spec.migrations().locations().size());
    }

    @Test
    void acceptsAnEcsTaskWithDefaults() {
        ObjectNode raw = base();
        ObjectNode task = raw.putObject("migrations")
                .put("mode", "ECS_TASK")
                .put("secretId", "prod/checkout/db")
                .putObject("task");
        task.put("cluster", "prod").put("taskDefinition", "checkout-migrate:42");
        task.putArray("command").add("./migrate").add("up");
        task.putArray("subnets").add("subnet-0a1b2c3d");

        DeploymentSpec spec = roundTrip(raw);

        assertEquals(LaunchType.FARGATE, spec.migrations().task().launchType());
        assertEquals(List.of("./migrate", "up"), spec.migrations().task().command());
        assertEquals(null, spec.migrations().task().container());
    }

    @Test
    void noMigrationsAndNoSecretsIsTheDefault() {
        ObjectNode raw = base();
        raw.remove("secrets");

        DeploymentSpec spec = roundTrip(raw);

        assertEquals(MigrationSpec.NONE, spec.migrations());
        assertEquals(List.of(), spec.secrets());
    }

    @Test
    void reportsEverySecretProblemWithItsPath() {
        ObjectNode raw = base();
        ArrayNode secrets = (ArrayNode) raw.get("secrets");
        secrets.addObject().put("id", "prod/checkout/db");
        secrets.addObject().put("id", "bad id with spaces").put("requiredKey", "x");
        secrets.add("just-a-string");
        secrets.addObject().putArray("requiredKeys").add("a").add("a").add(7);

        Map<String, String> found = violations(raw);

        assertTrue(found.get("$.secrets[1].id").contains("listed twice"), found.toString());
        assertTrue(found.get("$.secrets[2].id").contains("is not valid"), found.toString());
        assertTrue(found.get("$.secrets[2].requiredKey").contains("unknown field"), found.toString());
        assertTrue(found.get("$.secrets[3]").contains("must be an object"), found.toString());
        assertTrue(found.get("$.secrets[4].id").contains("is required"), found.toString());
        assertTrue(found.get("$.secrets[4].requiredKeys[1]").contains("listed twice"), found.toString());
        assertTrue(found.get("$.secrets[4].requiredKeys[2]").contains("must be a string"), found.toString());
    }

    @Test
    void flywayNeedsAPinnedSecretWithConnectionKeysAndKnownLocations() {
        ObjectNode raw = base();
        ((ObjectNode) raw.get("secrets").get(0)).putArray("requiredKeys").add("password");
        raw.putObject("migrations")
                .put("mode", "FLYWAY")
                .put("secretId", "prod/checkout/db")
                .put("timeoutSeconds", 5)
                .putArray("locations")
                .add("http://example.com/sql")
                .add("s3:Bad_Bucket/x");

        Map<String, String> found = violations(raw);

        assertTrue(found.get("$.migrations.secretId").contains("requiredKeys lack host, username"), found.toString());
        assertTrue(found.get("$.migrations.locations[0]").contains("is not valid"), found.toString());
        assertTrue(found.get("$.migrations.locations[1]").contains("is not valid"), found.toString());
        assertTrue(found.get("$.migrations.timeoutSeconds").contains("out of range"), found.toString());
    }

    @Test
    void flywayRequiresASecretIdNamingASecretAndSomeLocations() {
        ObjectNode raw = base();
        raw.putObject("migrations").put("mode", "FLYWAY");
        Map<String, String> missing = violations(raw);
        assertTrue(missing.get("$.migrations.secretId").contains("is required for FLYWAY"), missing.toString());
        assertTrue(missing.get("$.migrations.locations").contains("is required for FLYWAY"), missing.toString());

        raw.putObject("migrations")
                .put("mode", "FLYWAY")
                .put("secretId", "prod/other/db")
                .putArray("locations")
                .add("classpath:db");
        Map<String, String> unknown = violations(raw);
        assertTrue(unknown.get("$.migrations.secretId").contains("is not one of $.secrets[].id"), unknown.toString());
    }

    @Test
    void ecsTaskNeedsClusterTaskDefinitionCommandAndFargateSubnets() {
        ObjectNode raw = base();
        ObjectNode migrations =
                raw.putObject("migrations").put("mode", "ECS_TASK").put("dryRun", true);
        migrations.putArray("locations").add("classpath:db");
        ObjectNode task = migrations.putObject("task");
        task.put("taskDefinition", "checkout-migrate").put("launchType", "LAMBDA");
        task.putArray("securityGroups").add("group-1");

        Map<String, String> found = violations(raw);

        assertTrue(found.get("$.migrations.task.cluster").contains("is required"), found.toString());
        assertTrue(found.get("$.migrations.task.taskDefinition").contains("is not valid"), found.toString());
        assertTrue(found.get("$.migrations.task.command").contains("is required"), found.toString());
        assertTrue(found.get("$.migrations.task.launchType").contains("is not known"), found.toString());
        assertTrue(found.get("$.migrations.task.securityGroups[0]").contains("is not valid"), found.toString());
        assertTrue(found.get("$.migrations.task.subnets").contains("is required for FARGATE"), found.toString());
        assertTrue(
                found.get("$.migrations.secretId").contains("is required for ECS_TASK with locations"),
                found.toString());
        assertTrue(found.get("$.migrations.dryRun").contains("not possible for ECS_TASK"), found.toString());
    }

    @Test
    void modesRefuseFieldsThatBelongToAnother() {
        ObjectNode raw = base();
        ObjectNode migrations = raw.putObject("migrations")
                .put("mode", "NONE")
                .put("secretId", "prod/checkout/db")
                .put("color", "red");
        migrations.putArray("locations").add("classpath:db");
        migrations.putObject("task");

        Map<String, String> found = violations(raw);

        assertTrue(found.get("$.migrations.secretId").contains("does not apply to mode NONE"), found.toString());
        assertTrue(found.get("$.migrations.locations").contains("does not apply to mode NONE"), found.toString());
        assertTrue(found.get("$.migrations.task").contains("does not apply to mode NONE"), found.toString());
        assertTrue(found.get("$.migrations.color").contains("unknown field"), found.toString());
    }
}
