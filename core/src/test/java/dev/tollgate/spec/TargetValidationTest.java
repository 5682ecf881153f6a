package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.samples.SampleEventFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of each target type, and what a target imposes on the steps and the metric dimensions. */
class TargetValidationTest {

    private final SpecValidator validator = new SpecValidator();

    private static ObjectNode spec(String targetJson) {
        ObjectNode spec = (ObjectNode) Json.tree("""
                {"deploymentId": "checkout-v42", "service": "checkout",
                 "steps": [{"weight": 10, "bakeSeconds": 120}, {"weight": 100}],
                 "analysis": {"periodSeconds": 60,
                   "canaryDimensions": {"FunctionName": "checkout-api", "ExecutedVersion": "{canaryVersion}"},
                   "baselineDimensions": {"FunctionName": "checkout-api", "ExecutedVersion": "{baselineVersion}"},
                   "metrics": [{"name": "error-rate", "kind": "RATIO", "tolerance": 0.2,
                     "numerator": {"namespace": "AWS/Lambda", "metric": "Errors"},
                     "denominator": {"namespace": "AWS/Lambda", "metric": "Invocations"}}]}}
                """);
        spec.set("target", Json.tree(targetJson));
        return spec;
    }

    private static final String LAMBDA_ALIAS = """
            {"type": "LAMBDA_ALIAS", "functionName": "checkout-api", "alias": "live"}""";
    private static final String CODEDEPLOY_LAMBDA = """
            {"type": "CODEDEPLOY", "application": "checkout", "deploymentGroup": "checkout-prod",
             "lambda": {"functionName": "checkout-api", "alias": "live", "version": "42"}}""";
    private static final String ECS_ALB = """
            {"type": "ECS_ALB", "cluster": "prod", "blueService": "checkout-blue", "greenService": "checkout-green",
             "listenerArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2",
             "blueTargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/checkout-blue/73e2d6bc24d8a067",
             "greenTargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/checkout-green/2453ed029918f21f",
             "taskDefinition": "checkout:42"}""";

    private List<Violation> violations(ObjectNode spec) {
        return assertThrows(InvalidSpecException.class, () -> validator.validate(spec))
                .violations();
    }

    private static Violation at(List<Violation> violations, String path) {
        return violations.stream()
                .filter(violation -> violation.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no violation at " + path + " in " + violations));
    }

    @Test
    void acceptsALambdaAliasAndLeavesTheVersionToPublish() {
        DeploymentSpec spec = validator.validate(spec(LAMBDA_ALIAS));

        LambdaAliasTarget target = assertInstanceOf(LambdaAliasTarget.class, spec.target());
        assertEquals("checkout-api", target.functionName());
        assertEquals("live", target.alias());
        assertNull(target.version(), "Tollgate publishes $LATEST");
        assertEquals(SpecValidator.DEFAULT_HEALTH_TIMEOUT_SECONDS, target.healthTimeoutSeconds());
        assertEquals(
                target,
                validator.validate(spec(Json.write(target))).target(),
                "a normalised target validates to itself");
    }

    @Test
    void reportsEveryLambdaAliasProblemAtOnceWithItsPath() {
        List<Violation> found = violations(spec("""
                {"type": "LAMBDA_ALIAS", "functionName": "checkout-api:live", "alias": "42", "version": "$LATEST",
                 "codeSha256": "not-a-hash", "healthTimeoutSeconds": 5, "weight": 3}"""));

        assertTrue(at(found, "$.target.functionName").problem().contains("is qualified"), found.toString());
        assertTrue(at(found, "$.target.alias").allowed().contains("not only digits"));
        assertTrue(at(found, "$.target.version").allowed().contains("not $LATEST"));
        assertTrue(at(found, "$.target.codeSha256").allowed().contains("base64 SHA-256"));
        assertTrue(at(found, "$.target.healthTimeoutSeconds").problem().contains("out of range"));
        assertTrue(at(found, "$.target.weight").problem().contains("unknown field"));
        assertEquals(6, found.size(), found.toString());
    }

    @Test
    void refusesACodeSha256BesideANamedVersion() {
        List<Violation> found = violations(spec("""
                {"type": "LAMBDA_ALIAS", "functionName": "arn:aws:lambda:eu-west-1:123456789012:function:checkout-api",
                 "alias": "live", "version": "42", "codeSha256": "MatcuXQXdFe3uJDVykkKdDRWvqKoChFPahHwxYGyXmo="}"""));

        assertEquals(
                List.of("$.target.codeSha256"),
                found.stream().map(Violation::path).toList());
    }

    @Test
    void acceptsACodeDeployLambdaCanaryAndPinsMaxBakeToTheInterval() {
        DeploymentSpec spec = validator.validate(spec(CODEDEPLOY_LAMBDA));

        CodeDeployTarget target = assertInstanceOf(CodeDeployTarget.class, spec.target());
        assertEquals("Lambda", target.computePlatform());
        assertEquals("42", target.lambda().version());
        assertEquals(120, spec.step(0).maxBakeSeconds(), "CodeDeploy's window cannot be stretched");
        assertEquals(
                target,
                validator.validate(spec(Json.write(target))).target(),
                "a normalised target validates to itself");
    }

    @Test
    void acceptsACodeDeployEcsLinearScheduleWithTheTeamsOwnHooks() {
        ObjectNode spec = spec("""
                {"type": "CODEDEPLOY", "application": "checkout", "deploymentGroup": "checkout-prod",
                 "ecs": {"taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout:42",
                         "containerName": "app", "containerPort": 8080, "platformVersion": "1.4.0"},
                 "hooks": {"BeforeAllowTraffic": "checkout-smoke-test"}}""");
        spec.set("steps", Json.tree("""
                [{"weight": 30, "bakeSeconds": 180}, {"weight": 60, "bakeSeconds": 180}, {"weight": 90, "bakeSeconds": 180},
                 {"weight": 100}]"""));
        ((ObjectNode) spec.get("analysis"))
                .set("canaryDimensions", Json.tree("{\"TaskDefinition\": \"{canaryVersion}\"}"));
        ((ObjectNode) spec.get("analysis"))
                .set("baselineDimensions", Json.tree("{\"TaskDefinition\": \"checkout:41\"}"));

        CodeDeployTarget target = assertInstanceOf(
                CodeDeployTarget.class, validator.validate(spec).target());

        assertEquals("ECS", target.computePlatform());
        assertEquals("checkout-smoke-test", target.hooks().get("BeforeAllowTraffic"));
    }

    @Test
    void refusesStepSchedulesCodeDeployCannotExpressListingWhatIsAllowed() {
        ObjectNode spec = spec(CODEDEPLOY_LAMBDA);
        spec.set("steps", Json.tree("""
                [{"weight": 5, "bakeSeconds": 90, "approval": true}, {"weight": 25, "bakeSeconds": 120, "maxBakeSeconds": 600},
                 {"weight": 50, "bakeSeconds": 120}, {"weight": 100}]"""));

        List<Violation> found = violations(spec);

        assertTrue(at(found, "$.steps[0].bakeSeconds").allowed().contains("multiple of 60"), found.toString());
        assertTrue(at(found, "$.steps[0].approval").allowed().contains("only on the last step before 100 %"));
        assertTrue(at(found, "$.steps[1].weight").problem().contains("is not 2 x 5 %"));
        assertTrue(at(found, "$.steps[1].maxBakeSeconds")
                .allowed()
                .contains("CodeDeploy moves on when its interval ends"));
        assertTrue(at(found, "$.steps[1].bakeSeconds").problem().contains("differs from the first step's 90"));
        assertTrue(at(found, "$.steps[2].weight").allowed().contains("a canary schedule"));
        assertTrue(at(found, "$.steps[3]").problem().contains("reaches 100 % after 20 increments, not 4"));
    }

    @Test
    void refusesASingleStepForCodeDeploy() {
        ObjectNode spec = spec(CODEDEPLOY_LAMBDA);
        spec.set("steps", Json.tree("[{\"weight\": 100}]"));

        // Every target needs a step to judge before the promotion; CodeDeploy's own rule would say the same.
        assertTrue(
                at(violations(spec), "$.steps").problem().contains("without ever being judged"),
                violations(spec).toString());
    }

    @Test
    void refusesACodeDeployTargetWithBothOrNoRevisionsAndHooksTollgateOwns() {
        List<Violation> both = violations(spec("""
                {"type": "CODEDEPLOY", "application": "checkout", "deploymentGroup": "checkout prod",
                 "lambda": {"functionName": "checkout-api", "alias": "live"},
                 "ecs": {"taskDefinition": "checkout:42", "containerName": "app", "containerPort": 8080}}"""));
        List<Violation> none = violations(spec("""
                {"type": "CODEDEPLOY", "application": "checkout", "deploymentGroup": "checkout-prod",
                 "hooks": {"AfterAllowTraffic": "my-gate"}}"""));

        assertTrue(at(both, "$.target.ecs").problem().contains("both lambda and ecs"), both.toString());
        assertTrue(at(both, "$.target.deploymentGroup").allowed().contains("CodeDeploy deployment group name"));
        assertTrue(at(none, "$.target.lambda").problem().contains("no revision"), none.toString());
        assertTrue(
                at(none, "$.target.hooks.AfterAllowTraffic").allowed().contains("Tollgate answers AfterAllowTraffic"));
    }

    @Test
    void acceptsEcsAlbWithADrainTimeAndDefaultsIt() {
        ObjectNode withDrain = spec(ECS_ALB);
        ((ObjectNode) withDrain.get("target")).put("drainSeconds", 30);
        ObjectNode withoutDrain = spec(ECS_ALB);
        ObjectNode analysis = (ObjectNode) withoutDrain.get("analysis");
        analysis.set("canaryDimensions", Json.tree("{\"TargetGroup\": \"{canaryTargetGroup}\"}"));
        analysis.set("baselineDimensions", Json.tree("{\"TargetGroup\": \"{baselineTargetGroup}\"}"));
        ((ObjectNode) withDrain.get("analysis")).setAll(analysis);

        assertEquals(30, validator.validate(withDrain).target().drainSeconds());
        assertEquals(
                EcsAlbTarget.DEFAULT_DRAIN_SECONDS,
                validator.validate(withoutDrain).target().drainSeconds());
    }

    @Test
    void refusesPlaceholdersTheTargetCannotResolve() {
        ObjectNode spec = spec(ECS_ALB);
        ObjectNode metric = (ObjectNode) ((ArrayNode) spec.get("analysis").get("metrics")).get(0);
        metric.set("canaryDimensions", Json.tree("{\"Version\": \"{canaryAlias}\"}"));
        ((ObjectNode) spec.get("analysis"))
                .set("canaryDimensions", Json.tree("{\"TargetGroup\": \"{canaryTargetGroup}\"}"));
        ((ObjectNode) spec.get("analysis"))
                .set("baselineDimensions", Json.tree("{\"TargetGroup\": \"{baselineTargetGroup}\"}"));

        List<Violation> found = violations(spec);

        Violation unknown = at(found, "$.analysis.metrics[0].canaryDimensions.Version");
        assertTrue(
                unknown.problem().contains("{canaryAlias} is not a placeholder a ECS_ALB target resolves"),
                unknown.toString());
        assertTrue(unknown.allowed().contains("{canaryTargetGroup}"));
        assertEquals(1, found.size(), found.toString());
    }

    @Test
    void readsAnEcsAlbTargetWrittenBeforeDrainSecondsExisted() {
        String older = ECS_ALB.replace(
                "\"taskDefinition\": \"checkout:42\"",
                "\"taskDefinition\": \"checkout:42\", \"healthTimeoutSeconds\": 900");

        EcsAlbTarget target = (EcsAlbTarget) Json.convert(Json.tree(older), Target.class);

        assertEquals(EcsAlbTarget.DEFAULT_DRAIN_SECONDS, target.drainSeconds());
    }

    @Test
    void theStateMachineSampleOfEveryTargetTypeIsValid() {
        Map<String, Class<? extends Target>> samples = Map.of(
                "statemachine-ecs-alb.json",
                EcsAlbTarget.class,
                "statemachine-lambda-alias.json",
                LambdaAliasTarget.class,
                "statemachine-codedeploy.json",
                CodeDeployTarget.class);

        samples.forEach((sample, type) -> assertInstanceOf(
                type,
                validator.validate(Json.tree(SampleEventFiles.read(sample))).target(),
                sample));
    }

    @Test
    void namesTheTargetTypesItSupports() {
        List<Violation> found = violations(spec("{\"type\": \"APP_RUNNER\"}"));

        assertEquals(
                "ECS_ALB, LAMBDA_ALIAS or CODEDEPLOY",
                at(found, "$.target.type").allowed());
    }
}
