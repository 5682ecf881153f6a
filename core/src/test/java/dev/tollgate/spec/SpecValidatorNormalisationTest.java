package dev.tollgate.spec;

import static dev.tollgate.spec.SpecFixtures.designExample;
import static dev.tollgate.spec.SpecFixtures.minimal;
import static dev.tollgate.spec.SpecFixtures.remove;
import static dev.tollgate.spec.SpecFixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import dev.tollgate.spec.AnalysisSpec.InconclusivePolicy;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.MetricSpec.MetricRef;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a valid request becomes: the values it states, the documented defaults, and a fixed point. */
class SpecValidatorNormalisationTest {

    private final SpecValidator validator = new SpecValidator();

    @Test
    void keepsEverythingTheDesignExampleStates() {
        DeploymentSpec spec = validator.validate(designExample());

        assertEquals("checkout-2026-11-24-v42", spec.deploymentId());
        assertEquals("checkout", spec.service());
        EcsAlbTarget target = (EcsAlbTarget) spec.target();
        assertEquals("prod", target.cluster());
        assertEquals("checkout-blue", target.blueService());
        assertEquals("checkout-green", target.greenService());
        assertTrue(target.listenerRuleArn()
                .endsWith(":listener-rule/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"));
        assertEquals("arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout:42", target.taskDefinition());
        assertEquals(600, target.healthTimeoutSeconds());
        assertEquals(
                List.of(
                        new StepSpec(5, 300, 600, 500, false),
                        new StepSpec(25, 300, 600, 200, false),
                        new StepSpec(50, 600, 900, 200, true),
                        new StepSpec(100, 0, 0, 0, false)),
                spec.steps());
        AnalysisSpec analysis = spec.analysis();
        assertEquals(60, analysis.periodSeconds());
        assertEquals(new SloSpec(0.999, 28, 14.4, "error-rate"), analysis.slo());
        assertEquals(List.of("checkout-canary-anomaly", "checkout-p99-slo"), analysis.alarms());
        assertEquals(0.01, analysis.falsePositiveRate());
        assertEquals(InconclusivePolicy.PAUSE, analysis.onInconclusive());
        assertEquals(
                new MetricSpec(
                        "error-rate",
                        MetricKind.RATIO,
                        new MetricRef("App", "5xx"),
                        new MetricRef("App", "Requests"),
                        null,
                        null,
                        null,
                        Map.of("Version", "v42"),
                        Map.of("Version", "v41"),
                        Direction.INCREASE_IS_BAD,
                        0.10,
                        true),
                analysis.metrics().get(0));
        assertEquals(
                new MetricSpec(
                        "p99-latency",
                        MetricKind.STATISTIC,
                        null,
                        null,
                        "App",
                        "Latency",
                        "p99",
                        Map.of("Service", "checkout", "Version", "v42"),
                        Map.of("Service", "checkout", "Version", "v41"),
                        Direction.INCREASE_IS_BAD,
                        0.20,
                        false),
                analysis.metrics().get(1));
        assertFalse(spec.override());
    }

    @Test
    void fillsInTheDocumentedDefaults() {
        DeploymentSpec spec = validator.validate(minimal());

        assertEquals(900, spec.target().healthTimeoutSeconds());
        assertNull(((EcsAlbTarget) spec.target()).listenerRuleArn());
        assertEquals(List.of(), spec.secrets());
        assertEquals(MigrationSpec.NONE, spec.migrations());
        assertEquals(
                new StepSpec(10, 300, 600, 100, false),
                spec.step(0),
                "maxBakeSeconds 2 × bakeSeconds, minRequests 100");
        assertEquals(new StepSpec(100, 0, 0, 0, false), spec.step(1));
        AnalysisSpec analysis = spec.analysis();
        assertEquals(60, analysis.periodSeconds());
        assertEquals(0.01, analysis.falsePositiveRate());
        assertEquals(InconclusivePolicy.PAUSE, analysis.onInconclusive());
        assertEquals(new SloSpec(0.999, 28, 14.4, "error-rate"), analysis.slo());
        assertEquals(List.of(), analysis.alarms());
        MetricSpec errorRate = analysis.metrics().get(0);
        assertEquals(Direction.INCREASE_IS_BAD, errorRate.direction());
        assertFalse(errorRate.critical());
        assertFalse(spec.override());
    }

    @Test
    void copiesAnalysisDimensionsIntoMetricsThatStateNone() {
        AnalysisSpec analysis = validator.validate(minimal()).analysis();

        assertEquals(Map.of("Version", "v42"), analysis.metrics().get(0).canaryDimensions());
        assertEquals(Map.of("Version", "v41"), analysis.metrics().get(0).baselineDimensions());
    }

    @Test
    void metricDimensionsReplaceTheAnalysisDimensionsRatherThanMerge() {
        MetricSpec errorRate =
                validator.validate(designExample()).analysis().metrics().get(0);

        assertEquals(Map.of("Version", "v42"), errorRate.canaryDimensions());
        assertEquals(Map.of("Version", "v41"), errorRate.baselineDimensions());
    }

    @Test
    void stepsInheritTheAnalysisMinimumOfRequestsUnlessTheyStateTheirOwn() {
        List<StepSpec> steps = validator.validate(designExample()).steps();

        assertEquals(500, steps.get(0).minRequests());
        assertEquals(200, steps.get(1).minRequests());
    }

    @Test
    void maxBakeDefaultsToTwiceTheStepsOwnBake() {
        // A day's bake judged hourly: at one tick a minute, two days of ticks would not fit in an execution's history.
        ObjectNode request = set(set(minimal(), "$.steps[0].bakeSeconds", "86400"), "$.analysis.periodSeconds", "3600");

        assertEquals(172_800, validator.validate(request).step(0).maxBakeSeconds());
    }

    @Test
    void acceptsAnAnalysisOfAlarmsAlone() {
        ObjectNode request = remove(remove(designExample(), "$.analysis.metrics"), "$.analysis.slo");

        AnalysisSpec analysis = validator.validate(request).analysis();

        assertEquals(List.of(), analysis.metrics());
        assertEquals(2, analysis.alarms().size());
    }

    @Test
    void acceptsWholeNumbersWrittenWithADecimalPoint() {
        ObjectNode request = set(set(minimal(), "$.steps[0].weight", "10.0"), "$.steps[0].bakeSeconds", "3e2");

        assertEquals(
                new StepSpec(10, 300, 600, 100, false),
                validator.validate(request).step(0));
    }

    @Test
    void acceptsAClusterArnAndATaskDefinitionArn() {
        ObjectNode request = set(minimal(), "$.target.cluster", "\"arn:aws:ecs:eu-west-1:123456789012:cluster/prod\"");
        set(
                request,
                "$.target.taskDefinition",
                "\"arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/checkout:7\"");

        EcsAlbTarget target = (EcsAlbTarget) validator.validate(request).target();

        assertEquals("arn:aws:ecs:eu-west-1:123456789012:cluster/prod", target.cluster());
    }

    @ParameterizedTest(name = "periodSeconds {0}")
    @ValueSource(ints = {1, 5, 10, 30, 60, 120, 300, 3600})
    void acceptsEveryPeriodCloudWatchOffers(int periodSeconds) {
        ObjectNode request = set(minimal(), "$.analysis.periodSeconds", Integer.toString(periodSeconds));
        set(request, "$.steps[0].bakeSeconds", Integer.toString(Math.max(60, periodSeconds)));

        assertEquals(periodSeconds, validator.validate(request).analysis().periodSeconds());
    }

    @ParameterizedTest(name = "stat {0}")
    @ValueSource(
            strings = {
                "p99",
                "p99.9",
                "p99.99",
                "p50",
                "p5",
                "p100",
                "Average",
                "Minimum",
                "Maximum",
                "Sum",
                "SampleCount"
            })
    void acceptsCloudWatchStatistics(String stat) {
        ObjectNode request = set(designExample(), "$.analysis.metrics[1].stat", '"' + stat + '"');

        assertEquals(
                stat, validator.validate(request).analysis().metrics().get(1).stat());
    }

    @Test
    void acceptsAlarmNamesBeyondAscii() {
        ObjectNode request = set(designExample(), "$.analysis.alarms[0]", "\"checkout-lat\u00eancia p99\"");

        assertEquals(
                "checkout-lat\u00eancia p99",
                validator.validate(request).analysis().alarms().get(0));
    }

    static Stream<ObjectNode> validRequests() {
        return Stream.of(
                designExample(), minimal(), remove(remove(designExample(), "$.analysis.metrics"), "$.analysis.slo"));
    }

    @ParameterizedTest
    @MethodSource("validRequests")
    void aNormalisedSpecValidatesToItself(ObjectNode request) {
        DeploymentSpec normalised = validator.validate(request);

        JsonNode serialised = Json.MAPPER.valueToTree(normalised);

        assertEquals(normalised, validator.validate(serialised));
    }

    @Test
    void aNormalisedSpecReadsBackAsTheSameRecord() {
        DeploymentSpec normalised = validator.validate(designExample());

        assertEquals(normalised, Json.read(Json.write(normalised), DeploymentSpec.class));
    }

    @Test
    void acceptsSecretsAsAnEmptyListAndMigrationsOfModeNone() {
        ObjectNode request = set(minimal(), "$.secrets", "[]");
        set(request, "$.migrations", "{\"mode\": \"NONE\"}");

        DeploymentSpec spec = validator.validate(request);

        assertEquals(List.of(), spec.secrets());
        assertEquals(MigrationMode.NONE, spec.migrations().mode());
    }
}
