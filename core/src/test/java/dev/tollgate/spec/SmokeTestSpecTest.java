package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.json.Json;
import dev.tollgate.samples.SampleEventFiles;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SmokeTestSpecTest {

    private static final String TEST_LISTENER =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod/50dc6c495c0c9188/9d0d3f37e5a2c1b4";

    private static ObjectNode request(String sample, String smokeTest) {
        ObjectNode request = (ObjectNode) Json.tree(SampleEventFiles.read(sample));
        request.set("smokeTest", Json.tree(smokeTest));
        return request;
    }

    private static Map<String, String> violations(String sample, String smokeTest) {
        InvalidSpecException refused = assertThrows(
                InvalidSpecException.class, () -> new SpecValidator().validate(request(sample, smokeTest)));
        return refused.violations().stream()
                .collect(Collectors.toMap(
                        InvalidSpecException.Violation::path,
                        violation -> violation.problem() + " | " + violation.allowed(),
                        (first, second) -> first + " || " + second));
    }

    @Test
    void anEcsAlbProbeGetsItsDefaultsAndNormalisesToItself() {
        DeploymentSpec spec = new SpecValidator()
                .validate(request(
                        "statemachine-ecs-alb.json",
                        "{\"probe\": {\"path\": \"/health\"}, \"testListenerArn\": \"" + TEST_LISTENER + "\"}"));

        SmokeTestSpec.HttpProbeSpec probe = spec.smokeTest().probe();
        assertEquals(List.of(200), probe.expectedStatuses());
        assertEquals(3, probe.attempts());
        assertEquals(5, probe.timeoutSeconds());
        assertNull(spec.smokeTest().timeoutSeconds(), "a probe has no function timeout");
        assertEquals(spec, new SpecValidator().validate(Json.MAPPER.valueToTree(spec)));
    }

    @Test
    void aLambdaFunctionGetsTheDefaultTimeout() {
        DeploymentSpec spec = new SpecValidator()
                .validate(request(
                        "statemachine-lambda-alias.json",
                        "{\"function\": \"arn:aws:lambda:eu-west-1:123456789012:function:checkout-smoke:live\"}"));

        assertEquals(
                SmokeTestSpec.DEFAULT_FUNCTION_TIMEOUT_SECONDS, spec.smokeTest().timeoutSeconds());
        assertEquals(spec, new SpecValidator().validate(Json.MAPPER.valueToTree(spec)));
    }

    @Test
    void listsEveryProblemWithItsPath() {
        Map<String, String> found = violations(
                "statemachine-ecs-alb.json",
                "{\"function\": \"checkout smoke\", \"probe\": {\"path\": \"health\", \"expectedStatuses\": [200, 200, 700], "
                        + "\"attempts\": 9, \"timeoutSeconds\": 0, \"verb\": \"POST\"}, \"timeoutSeconds\": 99}");

        assertTrue(found.get("$.smokeTest").contains("names both function and probe"), found.toString());
        assertTrue(found.get("$.smokeTest.function").contains("is not valid"), found.toString());
        assertTrue(found.get("$.smokeTest.probe.path").contains("an absolute path"), found.toString());
        assertTrue(found.get("$.smokeTest.probe.expectedStatuses[1]").contains("listed twice"), found.toString());
        assertTrue(found.get("$.smokeTest.probe.expectedStatuses[2]").contains("not an HTTP status"), found.toString());
        assertTrue(found.get("$.smokeTest.probe.attempts").contains("1 to 5"), found.toString());
        assertTrue(found.get("$.smokeTest.probe.timeoutSeconds").contains("1 to 8"), found.toString());
        assertTrue(found.containsKey("$.smokeTest.probe.verb"), found.toString());
        assertTrue(found.get("$.smokeTest.timeoutSeconds").contains("1 to 15"), found.toString());
        assertTrue(
                found.get("$.smokeTest.testListenerArn").contains("is required for an ECS_ALB target"),
                found.toString());
    }

    @Test
    void refusesNeitherFormAndTheProductionListenerAsTheTestListener() {
        String production = Json.tree(SampleEventFiles.read("statemachine-ecs-alb.json"))
                .path("target")
                .path("listenerArn")
                .asText();

        Map<String, String> found =
                violations("statemachine-ecs-alb.json", "{\"testListenerArn\": \"" + production + "\"}");

        assertTrue(found.get("$.smokeTest").contains("names neither function nor probe"), found.toString());
        assertTrue(found.get("$.smokeTest.testListenerArn").contains("is the production listener"), found.toString());
    }

    @Test
    void aLambdaTargetHasNoTestListener() {
        Map<String, String> found = violations(
                "statemachine-lambda-alias.json",
                "{\"probe\": {\"path\": \"/health\"}, \"testListenerArn\": \"" + TEST_LISTENER
                        + "\", \"timeoutSeconds\": 5}");

        assertTrue(found.get("$.smokeTest.testListenerArn").contains("qualified ARN"), found.toString());
        assertTrue(found.get("$.smokeTest.timeoutSeconds").contains("applies to a function only"), found.toString());
    }

    @Test
    void codeDeployIsReferredToItsOwnHooks() {
        Map<String, String> found = violations("statemachine-codedeploy.json", "{\"function\": \"checkout-smoke\"}");

        assertTrue(found.get("$.smokeTest").contains("BeforeAllowTraffic"), found.toString());
        assertTrue(found.get("$.smokeTest").contains("AfterAllowTestTraffic"), found.toString());
    }
}
