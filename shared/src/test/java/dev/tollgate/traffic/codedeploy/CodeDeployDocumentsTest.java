package dev.tollgate.traffic.codedeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import dev.tollgate.spec.CodeDeployTarget;
import dev.tollgate.spec.CodeDeployTarget.EcsRevision;
import dev.tollgate.spec.CodeDeployTarget.LambdaRevision;
import dev.tollgate.spec.StepSpec;
import dev.tollgate.traffic.CodeDeployPlan;
import dev.tollgate.traffic.CodeDeploySchedule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Tollgate asks CodeDeploy for: the schedule's configuration and the AppSpec with its gate hooks. */
class CodeDeployDocumentsTest {

    private static final String HOOK = "arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_tollgate:live";

    private static List<StepSpec> steps(int... weightsThenBakeSeconds) {
        List<StepSpec> steps = new java.util.ArrayList<>();
        for (int i = 0; i < weightsThenBakeSeconds.length; i += 2) {
            steps.add(new StepSpec(
                    weightsThenBakeSeconds[i],
                    weightsThenBakeSeconds[i + 1],
                    weightsThenBakeSeconds[i + 1],
                    100,
                    false));
        }
        steps.add(new StepSpec(100, 0, 0, 0, false));
        return steps;
    }

    @Test
    void usesAPredefinedConfigurationWhenTheScheduleMatchesOne() {
        CodeDeploySchedule canary = CodeDeploySchedule.of(steps(10, 300));
        CodeDeploySchedule linear =
                CodeDeploySchedule.of(steps(10, 60, 20, 60, 30, 60, 40, 60, 50, 60, 60, 60, 70, 60, 80, 60, 90, 60));

        assertEquals("CodeDeployDefault.LambdaCanary10Percent5Minutes", canary.configName("Lambda"));
        assertEquals("CodeDeployDefault.ECSCanary10Percent5Minutes", canary.configName("ECS"));
        assertEquals("CodeDeployDefault.LambdaLinear10PercentEvery1Minute", linear.configName("Lambda"));
        assertEquals("CodeDeployDefault.ECSLinear10PercentEvery1Minutes", linear.configName("ECS"));
        assertTrue(canary.predefined("Lambda"));
    }

    @Test
    void derivesItsOwnConfigurationFromTheFirstStepOtherwise() {
        CodeDeploySchedule canary = CodeDeploySchedule.of(steps(5, 120));
        CodeDeploySchedule linear = CodeDeploySchedule.of(steps(25, 180, 50, 180, 75, 180));

        assertEquals("Tollgate-Lambda-Canary5Percent2Minutes", canary.configName("Lambda"));
        assertFalse(canary.predefined("Lambda"));
        assertEquals("5 % for 2 min, then 100 %", canary.describe());
        assertEquals(
                "TimeBasedCanary", CodeDeployDocuments.routingConfig(canary).typeAsString());
        assertEquals(
                5, CodeDeployDocuments.routingConfig(canary).timeBasedCanary().canaryPercentage());
        assertEquals(
                2, CodeDeployDocuments.routingConfig(canary).timeBasedCanary().canaryInterval());
        assertEquals("Tollgate-ECS-Linear25PercentEvery3Minutes", linear.configName("ECS"));
        assertEquals(
                3, CodeDeployDocuments.routingConfig(linear).timeBasedLinear().linearInterval());
    }

    @Test
    void writesALambdaAppSpecWithTollgateAsTheAfterAllowTrafficGate() {
        CodeDeployTarget target = new CodeDeployTarget(
                "checkout",
                "checkout-prod",
                new LambdaRevision("checkout-api", "live", null),
                null,
                Map.of("BeforeAllowTraffic", "checkout-smoke-test"),
                900);
        CodeDeployDocuments documents = new CodeDeployDocuments(target, HOOK);
        CodeDeployPlan plan =
                new CodeDeployPlan("checkout-v42", "Lambda", CodeDeploySchedule.of(steps(10, 300)), "41", "42", null);

        JsonNode appSpec = Json.tree(documents.appSpec(plan));

        JsonNode function = appSpec.path("Resources").get(0).path("checkoutapi");
        assertEquals("AWS::Lambda::Function", function.path("Type").asText());
        assertEquals("checkout-api", function.path("Properties").path("Name").asText());
        assertEquals("live", function.path("Properties").path("Alias").asText());
        assertEquals("41", function.path("Properties").path("CurrentVersion").asText());
        assertEquals("42", function.path("Properties").path("TargetVersion").asText());
        assertEquals(
                "[{\"BeforeAllowTraffic\":\"checkout-smoke-test\"},{\"AfterAllowTraffic\":\"" + HOOK + "\"}]",
                appSpec.path("Hooks").toString());
    }

    @Test
    void writesAnEcsAppSpecGatedAfterTestTrafficAndAfterProductionTraffic() {
        CodeDeployTarget target = new CodeDeployTarget(
                "checkout",
                "checkout-prod",
                null,
                new EcsRevision("arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout:42", "app", 8080, "1.4.0"),
                Map.of(),
                900);
        CodeDeployDocuments documents = new CodeDeployDocuments(target, HOOK);
        CodeDeployPlan plan = new CodeDeployPlan(
                "checkout-v42",
                "ECS",
                CodeDeploySchedule.of(steps(10, 300)),
                null,
                target.ecs().taskDefinition(),
                null);

        JsonNode appSpec = Json.tree(documents.appSpec(plan));

        JsonNode service =
                appSpec.path("Resources").get(0).path("TargetService").path("Properties");
        assertEquals(
                target.ecs().taskDefinition(), service.path("TaskDefinition").asText());
        assertEquals(
                "app", service.path("LoadBalancerInfo").path("ContainerName").asText());
        assertEquals(
                8080, service.path("LoadBalancerInfo").path("ContainerPort").asInt());
        assertEquals("1.4.0", service.path("PlatformVersion").asText());
        assertEquals(
                HOOK, appSpec.path("Hooks").get(0).path("AfterAllowTestTraffic").asText());
        assertEquals(
                HOOK, appSpec.path("Hooks").get(1).path("AfterAllowTraffic").asText());
        assertEquals(Map.of("canaryVersion", "checkout:42"), plan.releaseNames());
    }

    @Test
    void anEcsAppSpecNamesTheRevisionThatReadsThePinnedSecretsNotTheSpecsOwn() {
        CodeDeployTarget target = new CodeDeployTarget(
                "checkout",
                "checkout-prod",
                null,
                new EcsRevision("arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout:42", "app", 8080, null),
                Map.of(),
                900);
        CodeDeployDocuments documents = new CodeDeployDocuments(target, HOOK);
        String pinned = "arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout:43";
        CodeDeployPlan plan =
                new CodeDeployPlan("checkout-v42", "ECS", CodeDeploySchedule.of(steps(10, 300)), null, pinned, null);

        JsonNode appSpec = Json.tree(documents.appSpec(plan));

        assertEquals(
                pinned,
                appSpec.path("Resources")
                        .get(0)
                        .path("TargetService")
                        .path("Properties")
                        .path("TaskDefinition")
                        .asText());
        assertEquals(Map.of("canaryVersion", "checkout:43"), plan.releaseNames());
    }

    @Test
    void sumsTheAppSpecForCodeDeploy() {
        assertEquals(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", CodeDeployDocuments.sha256(""));
    }
}
