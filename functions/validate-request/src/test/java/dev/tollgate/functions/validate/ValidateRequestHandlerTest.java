package dev.tollgate.functions.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidateRequestHandlerTest {

    private final ValidateRequestHandler handler = new ValidateRequestHandler(new FunctionEnvironment(Map.of()));

    @Test
    void passesOnTheSampleSpecNormalisedWithItsDefaults() {
        JsonNode spec = SampleEvents.invoke(handler, "validate-request.json").path("spec");

        assertEquals("checkout-2026-11-24-v42", spec.path("deploymentId").asText());
        assertEquals(4, spec.path("steps").size());
        assertEquals(
                600,
                spec.path("steps").get(0).path("maxBakeSeconds").asInt(),
                "maxBakeSeconds defaults to twice the bake");
        assertEquals(100, spec.path("steps").get(1).path("minRequests").asInt(), "minRequests defaults to 100");
        assertEquals(
                "v42",
                spec.path("analysis")
                        .path("metrics")
                        .get(1)
                        .path("canaryDimensions")
                        .path("Version")
                        .asText(),
                "analysis-level dimensions are copied into each metric");
        assertEquals(900, spec.path("target").path("healthTimeoutSeconds").asInt());
    }

    @Test
    void listsEveryProblemOfTheInvalidSampleAtOnceWithoutAStackTrace() {
        InvalidSpecException invalid = assertThrows(
                InvalidSpecException.class, () -> SampleEvents.invoke(handler, "statemachine-invalid.json"));

        String message = invalid.getMessage();
        for (String path : new String[] {
            "$.deploymentId",
            "$.target.greenService",
            "$.target.listenerArn",
            "$.target.taskDefinition",
            "$.steps[1].weight",
            "$.steps[1].bakeSecond",
            "$.steps[1].bakeSeconds",
            "$.steps[2].weight",
            "$.analysis.metrics[0].tolerance",
            "$.analysis.metrics[0].denominator"
        }) {
            assertTrue(message.contains(path + ":"), () -> "missing " + path + " in: " + message);
        }
        assertTrue(invalid.violations().size() >= 10, message);
        assertEquals(0, invalid.getStackTrace().length, "the error document must not carry a stack trace");
    }

    @Test
    void acceptsAnEcsTargetInAnotherRegionAndAccountForTheFunctionsToActThere() throws Exception {
        ObjectNode placed = (ObjectNode) Json.MAPPER.readTree(SampleEvents.read("validate-request.json"));
        placed.put("region", "eu-west-1");
        placed.put("roleArn", "arn:aws:iam::210987654321:role/deployer");

        JsonNode validated = SampleEvents.invokeWith(handler, Json.write(placed));

        assertEquals("eu-west-1", validated.path("spec").path("region").asText());
        assertEquals(
                "arn:aws:iam::210987654321:role/deployer",
                validated.path("spec").path("roleArn").asText());
        assertEquals(
                validated.path("spec").path("service").asText() + "@eu-west-1/210987654321",
                validated.path("serviceLock").asText(),
                "one lock per service where it runs");
    }

    @Test
    void refusesAnotherRegionWithoutARoleWhichTheFunctionsOwnRoleIsNotGranted() throws Exception {
        ObjectNode placed = (ObjectNode) Json.MAPPER.readTree(SampleEvents.read("validate-request.json"));
        placed.put("region", "eu-west-1");

        InvalidSpecException invalid =
                assertThrows(InvalidSpecException.class, () -> SampleEvents.invokeWith(handler, Json.write(placed)));

        assertEquals(1, invalid.violations().size(), invalid.getMessage());
        assertTrue(
                invalid.getMessage()
                        .contains(
                                "$.region: a target in eu-west-1 with no roleArn: Tollgate's own role acts in us-east-1"
                                        + " only"),
                invalid.getMessage());
    }

    @Test
    void refusesACodeDeployTargetAwayFromTollgateWhoseHooksCodeDeployCouldNotCall() throws Exception {
        ObjectNode placed = (ObjectNode) Json.MAPPER.readTree(SampleEvents.read("statemachine-codedeploy.json"));
        placed.put("region", "eu-west-1");
        placed.put("roleArn", "arn:aws:iam::210987654321:role/deployer");

        InvalidSpecException invalid =
                assertThrows(InvalidSpecException.class, () -> SampleEvents.invokeWith(handler, Json.write(placed)));

        assertEquals(2, invalid.violations().size(), invalid.getMessage());
        assertTrue(
                invalid.getMessage()
                        .contains("$.region: a CODEDEPLOY target in eu-west-1: CodeDeploy calls its lifecycle hooks in"
                                + " its own region, and Tollgate's hook runs in us-east-1"),
                invalid.getMessage());
        assertTrue(
                invalid.getMessage().contains("$.roleArn: a CODEDEPLOY target in another account"),
                invalid.getMessage());
    }

    @Test
    void acceptsTheFunctionsOwnRegionWrittenOut() throws Exception {
        ValidateRequestHandler inIreland =
                new ValidateRequestHandler(new FunctionEnvironment(Map.of("AWS_REGION", "eu-west-1")));
        ObjectNode placed = (ObjectNode) Json.MAPPER.readTree(SampleEvents.read("validate-request.json"));
        placed.put("region", "eu-west-1");

        JsonNode validated = SampleEvents.invokeWith(inIreland, Json.write(placed));

        assertEquals("eu-west-1", validated.path("spec").path("region").asText());
        assertEquals(
                validated.path("spec").path("service").asText(),
                validated.path("serviceLock").asText(),
                "home: the service's own lock");
    }

    @Test
    void refusesAnEventThatIsNotJson() {
        BadRequestException bad =
                assertThrows(BadRequestException.class, () -> SampleEvents.invokeWith(handler, "{not json"));
        assertTrue(bad.getMessage().startsWith("not JSON"), bad.getMessage());
    }

    @Test
    void refusesAnEventThatIsNotAnObject() {
        InvalidSpecException invalid =
                assertThrows(InvalidSpecException.class, () -> SampleEvents.invokeWith(handler, "[1, 2]"));
        assertTrue(
                invalid.getMessage().contains("$: the deployment spec must be a JSON object, found an array"),
                invalid.getMessage());
    }

    @Test
    void refusesAnEventLargerThanStepFunctionsCanPass() {
        String huge = "{\"deploymentId\": \"" + "x".repeat(300 * 1024) + "\"}";
        BadRequestException bad = assertThrows(BadRequestException.class, () -> SampleEvents.invokeWith(handler, huge));
        assertTrue(bad.getMessage().contains("larger than 256 KB"), bad.getMessage());
    }

    @Test
    void aReleaseInWavesComesBackWithEveryTargetsComposedSpecItsLockAndItsWindowKeptForTheRelease() throws Exception {
        ObjectNode release = (ObjectNode) Json.MAPPER.readTree(SampleEvents.read("release-three-regions.json"));

        JsonNode validated =
                SampleEvents.invokeWith(handler, Json.write(release)).path("release");

        JsonNode ireland = validated.path("waves").get(0).path("targets").get(0);
        assertEquals(
                "checkout-v42-w1-1", ireland.path("spec").path("deploymentId").asText());
        // Invoked without a function ARN, the handler cannot tell its own account: the role's is named in the lock.
        assertEquals(
                "checkout@eu-west-1/123456789012", ireland.path("serviceLock").asText());
        assertEquals(
                86_400,
                ireland.path("spec")
                        .path("afterPromotion")
                        .path("rollbackWindowSeconds")
                        .asInt(),
                "a promoted target keeps its way back until the release ends");
        assertEquals(
                "checkout@us-east-1/210987654321",
                validated
                        .path("waves")
                        .get(1)
                        .path("targets")
                        .get(0)
                        .path("serviceLock")
                        .asText(),
                "Tollgate's region in another account: a lock of its own");
        assertEquals("FAIL", validated.path("onLockHeld").asText());
    }

    @Test
    void aReleaseIsHeldToTheReachRulesAtEachTargetsOwnPath() throws Exception {
        ObjectNode release = (ObjectNode) Json.MAPPER.readTree(SampleEvents.read("release-three-regions.json"));
        ((ObjectNode) release.path("waves").get(1).path("targets").get(1)).remove("roleArn");

        InvalidSpecException invalid =
                assertThrows(InvalidSpecException.class, () -> SampleEvents.invokeWith(handler, Json.write(release)));

        assertEquals(1, invalid.violations().size(), invalid.getMessage());
        assertEquals("$.waves[1].targets[1].region", invalid.violations().get(0).path());
    }

    @Test
    void aReleasesTargetCarriesItsMembershipForTheRollbackWindowAndADeploymentOnItsOwnAnEmptyOne() throws Exception {
        ObjectNode child = Json.MAPPER.createObjectNode();
        child.set("spec", Json.MAPPER.readTree(SampleEvents.read("validate-request.json")));
        child.putObject("release")
                .put("releaseId", "checkout-v42")
                .put("wave", 2)
                .put("taskToken", "AQCEAAAA+release==");
        child.put(
                "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID",
                "arn:aws:states:us-east-1:123456789012:execution:tollgate-release:x");

        JsonNode validated = SampleEvents.invokeWith(handler, Json.write(child));
        JsonNode alone = SampleEvents.invoke(handler, "validate-request.json");

        assertEquals(
                "checkout-2026-11-24-v42",
                validated.path("spec").path("deploymentId").asText());
        assertEquals(
                "AQCEAAAA+release==",
                validated.path("release").path("taskToken").asText());
        assertEquals(2, validated.path("release").path("wave").asInt());
        assertTrue(
                alone.path("release").isObject() && alone.path("release").isEmpty(),
                "always present, as KeepRollbackWindowOpen reads $.release: " + alone.path("release"));
    }

    @Test
    void aTargetWithoutItsReleasesTokenIsRefusedWithEveryProblem() throws Exception {
        ObjectNode child = Json.MAPPER.createObjectNode();
        child.set("spec", Json.MAPPER.readTree(SampleEvents.read("validate-request.json")));
        child.putObject("release").put("releaseId", "checkout-v42");
        child.put("extra", true);

        InvalidSpecException invalid =
                assertThrows(InvalidSpecException.class, () -> SampleEvents.invokeWith(handler, Json.write(child)));

        assertEquals(
                java.util.List.of("$.extra", "$.release.taskToken", "$.release.wave"),
                invalid.violations().stream()
                        .map(InvalidSpecException.Violation::path)
                        .sorted()
                        .toList(),
                invalid.getMessage());
    }
}
