package dev.tollgate.spec;

import static dev.tollgate.spec.SpecFixtures.at;
import static dev.tollgate.spec.SpecFixtures.designExample;
import static dev.tollgate.spec.SpecFixtures.json;
import static dev.tollgate.spec.SpecFixtures.minimal;
import static dev.tollgate.spec.SpecFixtures.onlyViolation;
import static dev.tollgate.spec.SpecFixtures.paths;
import static dev.tollgate.spec.SpecFixtures.refusal;
import static dev.tollgate.spec.SpecFixtures.remove;
import static dev.tollgate.spec.SpecFixtures.set;
import static dev.tollgate.spec.SpecFixtures.violations;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule the validator enforces: each fault reported once, at its JSON path, with what is allowed. */
class SpecValidatorTest {

    private static final String LISTENER =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2";

    private static void assertViolation(Violation violation, String path, String problem, String allowed) {
        assertAll(
                () -> assertEquals(path, violation.path(), "path of " + violation),
                () -> assertTrue(
                        violation.problem().contains(problem),
                        () -> "problem of " + violation + " should say: " + problem),
                () -> assertTrue(
                        violation.allowed().contains(allowed),
                        () -> "allowed of " + violation + " should say: " + allowed));
    }

    @Nested
    class TheWholeRequest {

        @Test
        void reportsEveryProblemOfTheRequestAtOnce() {
            ObjectNode request = designExample();
            set(request, "$.deploymentId", "\"checkout 42\"");
            remove(request, "$.service");
            set(request, "$.target.greenService", "\"checkout-blue\"");
            set(request, "$.steps[2].weight", "20");
            remove(request, "$.steps[1].bakeSeconds");
            set(request, "$.steps[1].bakeSecond", "300");
            set(request, "$.analysis.metrics[0].tolerance", "0");
            set(request, "$.analysis.metrics[1].stat", "\"p999\"");
            set(request, "$.analysis.alarms[1]", "\"checkout-canary-anomaly\"");
            set(request, "$.override", "\"yes\"");

            List<Violation> violations = violations(request);

            assertEquals(
                    Set.of(
                            "$.deploymentId",
                            "$.service",
                            "$.target.greenService",
                            "$.steps[2].weight",
                            "$.steps[1].bakeSeconds",
                            "$.steps[1].bakeSecond",
                            "$.analysis.metrics[0].tolerance",
                            "$.analysis.metrics[1].stat",
                            "$.analysis.alarms[1]",
                            "$.override"),
                    Set.copyOf(paths(violations)));
            assertEquals(10, violations.size(), () -> "one violation per fault: " + violations);
        }

        @Test
        void saysInItsMessageWhereWhatAndWhatIsAllowed() {
            InvalidSpecException refusal = refusal(set(designExample(), "$.steps[2].weight", "20"));

            assertEquals(
                    "invalid deployment spec, 1 problem: $.steps[2].weight: 20 does not increase on the step before (25)"
                            + " (allowed: weights strictly increasing, ending at 100)",
                    refusal.getMessage());
            assertFalse(refusal.retryable(), "a bad spec stays bad: Step Functions must not retry it");
        }

        @Test
        void joinsSeveralProblemsInOneMessage() {
            InvalidSpecException refusal = refusal(set(set(designExample(), "$.override", "1"), "$.service", "\"\""));

            assertEquals(
                    "invalid deployment spec, 2 problems: "
                            + "$.service: '' is not valid (allowed: 1 to 64 letters, digits, '-' or '_', starting with a letter or digit); "
                            + "$.override: must be true or false, found the number 1 (allowed: true or false)",
                    refusal.getMessage());
            assertFalse(refusal.getMessage().contains("\n"), "one line in the execution history");
        }

        @Test
        void namesEveryRequiredFieldOfAnEmptyObject() {
            List<Violation> violations = violations(json("{}"));

            assertEquals(
                    List.of("$.deploymentId", "$.service", "$.target", "$.analysis", "$.steps"), paths(violations));
            violations.forEach(violation -> assertEquals("is required", violation.problem()));
        }

        static Stream<Arguments> notObjects() {
            return Stream.of(
                    Arguments.of("null", "found null"),
                    Arguments.of("[]", "found an array"),
                    Arguments.of("[{\"deploymentId\": \"x\"}]", "found an array"),
                    Arguments.of("\"checkout-v42\"", "found the string 'checkout-v42'"),
                    Arguments.of("42", "found the number 42"),
                    Arguments.of("4.2", "found the number 4.2"),
                    Arguments.of("true", "found true"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("notObjects")
        void refusesAnythingButAJsonObject(String request, String found) {
            assertViolation(
                    onlyViolation(json(request)),
                    "$",
                    "the deployment spec must be a JSON object, " + found,
                    "an object");
        }

        @Test
        void refusesNoRequestAtAll() {
            assertViolation(onlyViolation(null), "$", "must be a JSON object, found nothing", "an object");
        }
    }

    /** A value that breaks one rule, written into the design example at {@code path}. */
    record BadValue(String path, String value, String reportedAt, String problem, String allowed) {
        BadValue(String path, String value, String problem, String allowed) {
            this(path, value, path, problem, allowed);
        }

        @Override
        public String toString() {
            return path + " = " + value;
        }
    }

    static Stream<BadValue> badValues() {
        String idRule = "1 to 80 letters, digits, '-' or '_', starting with a letter or digit";
        return Stream.of(
                new BadValue("$.deploymentId", "\"checkout v42\"", "'checkout v42' is not valid", idRule),
                new BadValue("$.deploymentId", "\"-checkout\"", "'-checkout' is not valid", idRule),
                new BadValue("$.deploymentId", '"' + "a".repeat(81) + '"', "is not valid", idRule),
                new BadValue("$.deploymentId", "\"checkout/v42\"", "is not valid", idRule),
                new BadValue("$.deploymentId", "42", "must be a string, found the number 42", idRule),
                new BadValue("$.service", "\"check.out\"", "is not valid", "1 to 64 letters"),
                new BadValue("$.service", '"' + "s".repeat(65) + '"', "is not valid", "1 to 64 letters"),
                new BadValue("$.override", "\"yes\"", "must be true or false, found the string 'yes'", "true or false"),
                new BadValue("$.target", "\"ECS_ALB\"", "must be an object, found the string 'ECS_ALB'", "an object"),
                new BadValue("$.target.type", "null", "is required", "ECS_ALB"),
                new BadValue("$.target.cluster", "\"prod cluster\"", "is not valid", "an ECS cluster name or ARN"),
                new BadValue("$.target.blueService", "\"\"", "is not valid", "an ECS service name"),
                new BadValue(
                        "$.target.listenerArn",
                        "\"arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/prod/50dc6c495c0c9188/f2f7dc8efc522ab2\"",
                        "is not valid",
                        "an Application Load Balancer listener ARN"),
                new BadValue("$.target.listenerRuleArn", '"' + LISTENER + '"', "is not valid", "listener rule ARN"),
                new BadValue("$.target.blueTargetGroupArn", "\"checkout-blue\"", "is not valid", "a target group ARN"),
                new BadValue(
                        "$.target.greenTargetGroupArn",
                        "\"arn:aws:elasticloadbalancing:eu-west-1:1234:targetgroup/checkout-green/9d8a4a5c3f1e2b70\"",
                        "is not valid",
                        "a target group ARN"),
                new BadValue(
                        "$.target.taskDefinition",
                        "\"checkout\"",
                        "is not valid",
                        "a task definition ARN or family:revision"),
                new BadValue(
                        "$.target.healthTimeoutSeconds",
                        "10",
                        "10 is out of range",
                        "a whole number from 30 to 3600 seconds"),
                new BadValue(
                        "$.target.healthTimeoutSeconds",
                        "\"900\"",
                        "must be a whole number, found the string '900'",
                        "30 to 3600"),
                new BadValue("$.secrets", "\"prod/checkout/db\"", "must be an array", "an array"),
                new BadValue(
                        "$.migrations.mode",
                        "\"LIQUIBASE\"",
                        "'LIQUIBASE' is not known",
                        "one of NONE, FLYWAY, ECS_TASK"),
                new BadValue("$.migrations", "\"NONE\"", "must be an object", "an object"),
                new BadValue("$.steps", "{}", "must be an array, found an object", "an array"),
                new BadValue("$.steps", "[]", "has 0 items", "2 to 20 items"),
                new BadValue(
                        "$.steps",
                        "[{\"weight\": 100}]",
                        "has only one step, so the release would go to 100 % without ever being judged",
                        "at least one canary step below 100 before the final step at 100"),
                new BadValue("$.steps[1]", "25", "must be an object, found the number 25", "\"weight\""),
                new BadValue(
                        "$.steps[0].weight",
                        "5.5",
                        "must be a whole number, found the number 5.5",
                        "a whole number from 1 to 100 percent"),
                new BadValue(
                        "$.steps[0].weight",
                        "\"5\"",
                        "must be a whole number, found the string '5'",
                        "1 to 100 percent"),
                new BadValue("$.steps[0].weight", "0", "0 is out of range", "1 to 100 percent"),
                new BadValue("$.steps[0].weight", "-5", "-5 is out of range", "1 to 100 percent"),
                new BadValue("$.steps[0].weight", "null", "is required", "1 to 100 percent"),
                new BadValue(
                        "$.steps[0].bakeSeconds",
                        "30",
                        "30 is out of range",
                        "from 60 to 86400 seconds (at least one analysis period)"),
                new BadValue("$.steps[0].bakeSeconds", "86401", "86401 is out of range", "from 60 to 86400 seconds"),
                new BadValue("$.steps[0].bakeSeconds", "300.5", "must be a whole number", "from 60 to 86400 seconds"),
                new BadValue(
                        "$.steps[0].maxBakeSeconds",
                        "200",
                        "200 is shorter than bakeSeconds (300)",
                        "at least bakeSeconds"),
                new BadValue("$.steps[0].maxBakeSeconds", "172801", "is out of range", "from 60 to 172800 seconds"),
                new BadValue("$.steps[0].minRequests", "0", "0 is out of range", "1 to 1000000000 requests"),
                new BadValue("$.steps[0].approval", "\"yes\"", "must be true or false", "true or false"),
                new BadValue(
                        "$.steps[3].bakeSeconds",
                        "60",
                        "the final 100 % step is the promotion",
                        "put the bake on the step before"),
                new BadValue(
                        "$.steps[3].maxBakeSeconds",
                        "120",
                        "the final 100 % step is the promotion",
                        "put the bake on the step before"),
                new BadValue(
                        "$.steps[3].minRequests",
                        "1000",
                        "the final 100 % step is the promotion",
                        "put the bake on the step before"),
                new BadValue(
                        "$.steps[3].approval",
                        "true",
                        "an approval after 100 % comes too late",
                        "approval on the step before"),
                new BadValue(
                        "$.steps[3].approval",
                        "\"true\"",
                        "must be true or false, found the string 'true'",
                        "true or false"),
                new BadValue(
                        "$.steps[3].approval",
                        "\"yes\"",
                        "must be true or false, found the string 'yes'",
                        "true or false"),
                new BadValue("$.steps[3].weight", "90", "the last step has weight 90", "the last step at 100"),
                new BadValue("$.analysis", "[]", "must be an object, found an array", "an object"),
                new BadValue(
                        "$.analysis.periodSeconds",
                        "45",
                        "45 is not a CloudWatch period",
                        "1, 5, 10, 30 or a multiple of 60"),
                new BadValue(
                        "$.analysis.periodSeconds",
                        "90",
                        "90 is not a CloudWatch period",
                        "1, 5, 10, 30 or a multiple of 60"),
                new BadValue("$.analysis.periodSeconds", "7200", "7200 is out of range", "from 1 to 3600 seconds"),
                new BadValue("$.analysis.periodSeconds", "0", "0 is out of range", "from 1 to 3600 seconds"),
                new BadValue("$.analysis.minRequests", "-1", "-1 is out of range", "1 to 1000000000 requests"),
                new BadValue("$.analysis.falsePositiveRate", "0", "0 is out of range", "a number in (0, 0.2]"),
                new BadValue("$.analysis.falsePositiveRate", "0.5", "0.5 is out of range", "a number in (0, 0.2]"),
                new BadValue(
                        "$.analysis.falsePositiveRate",
                        "\"1%\"",
                        "must be a number, found the string '1%'",
                        "(0, 0.2]"),
                new BadValue("$.analysis.onInconclusive", "\"WAIT\"", "'WAIT' is not known", "one of PAUSE, ROLLBACK"),
                new BadValue("$.analysis.metrics", "{}", "must be an array, found an object", "an array"),
                new BadValue(
                        "$.analysis.metrics[1]",
                        "\"p99-latency\"",
                        "must be an object, found the string 'p99-latency'",
                        "a metric object"),
                new BadValue(
                        "$.analysis.metrics[0].name",
                        "\"Error_Rate\"",
                        "'Error_Rate' is not valid",
                        "lower-case letters, digits or '-'"),
                new BadValue(
                        "$.analysis.metrics[1].name",
                        "\"error-rate\"",
                        "'error-rate' is used by an earlier metric",
                        "unique names"),
                new BadValue(
                        "$.analysis.metrics[0].kind",
                        "\"HISTOGRAM\"",
                        "'HISTOGRAM' is not known",
                        "one of RATIO, STATISTIC"),
                new BadValue(
                        "$.analysis.metrics[0].kind", "\"ratio\"", "'ratio' is not known", "one of RATIO, STATISTIC"),
                new BadValue(
                        "$.analysis.metrics[0].direction",
                        "\"UP\"",
                        "'UP' is not known",
                        "one of INCREASE_IS_BAD, DECREASE_IS_BAD"),
                new BadValue("$.analysis.metrics[0].tolerance", "0", "0 is out of range", "a number in (0, 10]"),
                new BadValue("$.analysis.metrics[0].tolerance", "-0.1", "-0.1 is out of range", "a number in (0, 10]"),
                new BadValue("$.analysis.metrics[0].tolerance", "10.5", "10.5 is out of range", "a number in (0, 10]"),
                new BadValue(
                        "$.analysis.metrics[0].tolerance",
                        "\"10%\"",
                        "must be a number, found the string '10%'",
                        "(0, 10]"),
                new BadValue("$.analysis.metrics[0].tolerance", "null", "is required", "(0, 10]"),
                new BadValue(
                        "$.analysis.metrics[0].critical",
                        "1",
                        "must be true or false, found the number 1",
                        "true or false"),
                new BadValue("$.analysis.metrics[0].numerator", "\"App/5xx\"", "must be an object", "an object"),
                new BadValue(
                        "$.analysis.metrics[0].numerator.metric",
                        "5",
                        "must be a string, found the number 5",
                        "a CloudWatch metric name"),
                new BadValue(
                        "$.analysis.metrics[0].denominator.namespace",
                        "\":App\"",
                        "is not valid",
                        "a CloudWatch namespace"),
                new BadValue("$.analysis.metrics[1].namespace", "\"\"", "'' is not valid", "a CloudWatch namespace"),
                new BadValue(
                        "$.analysis.metrics[1].metric", "\"Latenz\u00e9\"", "is not valid", "a CloudWatch metric name"),
                new BadValue(
                        "$.analysis.metrics[1].stat",
                        "\"P99\"",
                        "'P99' is not valid",
                        "a percentile such as p99 or p99.9"),
                new BadValue(
                        "$.analysis.metrics[1].stat",
                        "\"p999\"",
                        "'p999' is not valid",
                        "a percentile such as p99 or p99.9"),
                new BadValue(
                        "$.analysis.metrics[1].stat",
                        "\"p99.999\"",
                        "'p99.999' is not valid",
                        "Sum, Average, Minimum, Maximum, SampleCount"),
                new BadValue(
                        "$.analysis.metrics[1].stat",
                        "\"p101\"",
                        "'p101' is not valid",
                        "Sum, Average, Minimum, Maximum, SampleCount"),
                new BadValue(
                        "$.analysis.metrics[1].stat",
                        "\"avg\"",
                        "'avg' is not valid",
                        "Sum, Average, Minimum, Maximum, SampleCount"),
                new BadValue(
                        "$.analysis.metrics[1].canaryDimensions",
                        "[\"Version=v42\"]",
                        "must be an object, found an array",
                        "an object"),
                new BadValue(
                        "$.analysis.metrics[1].canaryDimensions",
                        "{\"Version\": 42}",
                        "$.analysis.metrics[1].canaryDimensions.Version",
                        "must be a string, found the number 42",
                        "at most 30 CloudWatch dimensions"),
                new BadValue(
                        "$.analysis.metrics[1].baselineDimensions",
                        "{\"Version\": \"\"}",
                        "$.analysis.metrics[1].baselineDimensions.Version",
                        "'' is not valid",
                        "names and values of printable ASCII"),
                new BadValue("$.analysis.canaryDimensions", "\"Version=v42\"", "must be an object", "an object"),
                new BadValue(
                        "$.analysis.canaryDimensions",
                        "{\":Version\": \"v42\"}",
                        "$.analysis.canaryDimensions[':Version']",
                        "name is not valid",
                        "names not starting with ':'"),
                new BadValue(
                        "$.analysis.canaryDimensions",
                        "{\"Version\": \"   \"}",
                        "$.analysis.canaryDimensions.Version",
                        "'   ' is not valid",
                        "printable ASCII"),
                new BadValue(
                        "$.analysis.alarms[0]", "\"checkout\\u0007alarm\"", "is not valid", "a CloudWatch alarm name"),
                new BadValue("$.analysis.slo", "0.999", "must be an object, found the number 0.999", "an object"),
                new BadValue("$.analysis.slo.objective", "1", "1 is out of range", "a number in (0.5, 1)"),
                new BadValue("$.analysis.slo.objective", "0.4", "0.4 is out of range", "a number in (0.5, 1)"),
                new BadValue("$.analysis.slo.objective", "\"99.9%\"", "must be a number", "a number in (0.5, 1)"),
                new BadValue(
                        "$.analysis.slo.windowDays", "91", "91 is out of range", "a whole number from 1 to 90 days"),
                new BadValue(
                        "$.analysis.slo.windowDays",
                        "7.5",
                        "must be a whole number, found the number 7.5",
                        "1 to 90 days"),
                new BadValue("$.analysis.slo.burnRateLimit", "0", "0 is out of range", "a number in (0, 1000]"),
                new BadValue("$.analysis.alarms", "\"checkout-canary-anomaly\"", "must be an array", "an array"),
                new BadValue(
                        "$.analysis.alarms[0]", "7", "must be a string, found the number 7", "a CloudWatch alarm name"),
                new BadValue("$.analysis.alarms[0]", "\"\"", "'' is not valid", "a CloudWatch alarm name"),
                new BadValue(
                        "$.analysis.alarms[1]",
                        "\"checkout-canary-anomaly\"",
                        "'checkout-canary-anomaly' is listed twice",
                        "each alarm once"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void reportsEachBadValueOnceAtItsPath(BadValue bad) {
        ObjectNode request = set(designExample(), bad.path(), bad.value());

        assertViolation(onlyViolation(request), bad.reportedAt(), bad.problem(), bad.allowed());
    }

    static Stream<Arguments> requiredFields() {
        return Stream.of(
                        "$.deploymentId",
                        "$.service",
                        "$.target",
                        "$.target.type",
                        "$.target.cluster",
                        "$.target.blueService",
                        "$.target.greenService",
                        "$.target.listenerArn",
                        "$.target.blueTargetGroupArn",
                        "$.target.greenTargetGroupArn",
                        "$.target.taskDefinition",
                        "$.migrations.mode",
                        "$.steps",
                        "$.steps[0].weight",
                        "$.steps[0].bakeSeconds",
                        "$.steps[3].weight",
                        "$.analysis",
                        "$.analysis.metrics[0].name",
                        "$.analysis.metrics[0].kind",
                        "$.analysis.metrics[0].tolerance",
                        "$.analysis.metrics[0].numerator",
                        "$.analysis.metrics[0].denominator",
                        "$.analysis.metrics[0].numerator.namespace",
                        "$.analysis.metrics[0].denominator.metric",
                        "$.analysis.metrics[1].namespace",
                        "$.analysis.metrics[1].metric",
                        "$.analysis.metrics[1].stat",
                        "$.analysis.slo.objective")
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredFields")
    void reportsAMissingRequiredFieldAtItsPath(String path) {
        Violation violation = onlyViolation(remove(designExample(), path));

        assertEquals(path, violation.path());
        assertEquals("is required", violation.problem());
    }

    /** The fixtures by name, so parameterized tests read well; "per-metric dimensions" has none at analysis level. */
    static ObjectNode fixture(String name) {
        return switch (name) {
            case "design example" -> designExample();
            case "design example without SLO" -> remove(designExample(), "$.analysis.slo");
            case "minimal" -> minimal();
            case "per-metric dimensions" -> {
                ObjectNode request = minimal();
                JsonNode canary = at(request, "$.analysis.canaryDimensions");
                JsonNode baseline = at(request, "$.analysis.baselineDimensions");
                remove(remove(request, "$.analysis.canaryDimensions"), "$.analysis.baselineDimensions");
                set(request, "$.analysis.metrics[0].canaryDimensions", canary);
                yield set(request, "$.analysis.metrics[0].baselineDimensions", baseline);
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The spec a request normalises to, or the violations that refuse it. */
    private static Object outcome(JsonNode request) {
        try {
            return new SpecValidator().validate(request);
        } catch (InvalidSpecException refusal) {
            return refusal.violations();
        }
    }

    static Stream<Arguments> optionalFields() {
        return Stream.of(
                Arguments.of("design example", "$.secrets"),
                Arguments.of("design example", "$.migrations"),
                Arguments.of("design example", "$.override"),
                Arguments.of("design example", "$.target.listenerRuleArn"),
                Arguments.of("design example", "$.target.healthTimeoutSeconds"),
                Arguments.of("design example", "$.steps[0].minRequests"),
                Arguments.of("design example", "$.steps[2].maxBakeSeconds"),
                Arguments.of("design example", "$.steps[2].approval"),
                Arguments.of("design example", "$.analysis.periodSeconds"),
                Arguments.of("design example", "$.analysis.minRequests"),
                Arguments.of("design example", "$.analysis.canaryDimensions"),
                Arguments.of("design example", "$.analysis.falsePositiveRate"),
                Arguments.of("design example", "$.analysis.onInconclusive"),
                Arguments.of("design example", "$.analysis.metrics"),
                Arguments.of("design example without SLO", "$.analysis.metrics"),
                Arguments.of("design example", "$.analysis.alarms"),
                Arguments.of("minimal", "$.analysis.alarms"),
                Arguments.of("design example", "$.analysis.slo"),
                Arguments.of("design example", "$.analysis.slo.windowDays"),
                Arguments.of("design example", "$.analysis.slo.burnRateLimit"),
                Arguments.of("design example", "$.analysis.metrics[0].canaryDimensions"),
                Arguments.of("per-metric dimensions", "$.analysis.metrics[0].canaryDimensions"),
                Arguments.of("per-metric dimensions", "$.analysis.metrics[0].baselineDimensions"),
                Arguments.of("design example", "$.analysis.metrics[0].stat"),
                Arguments.of("design example", "$.analysis.metrics[0].namespace"),
                Arguments.of("design example", "$.analysis.metrics[1].numerator"),
                Arguments.of("design example", "$.analysis.metrics[1].denominator"),
                Arguments.of("design example", "$.migrations.secretId"),
                Arguments.of("design example", "$.steps[3].approval"),
                Arguments.of("design example", "$.analysis.metrics[0].direction"),
                Arguments.of("design example", "$.analysis.metrics[0].critical"));
    }

    @ParameterizedTest(name = "{1} of the {0}")
    @MethodSource("optionalFields")
    void readsNullAsAbsent(String fixture, String path) {
        Object withNull = outcome(set(fixture(fixture), path, "null"));

        assertEquals(outcome(remove(fixture(fixture), path)), withNull);
    }

    @Test
    void readsNullOnTheFinalStepAsAbsent() {
        ObjectNode request = set(
                designExample(),
                "$.steps[3]",
                "{\"weight\": 100, \"bakeSeconds\": null, \"maxBakeSeconds\": null, \"minRequests\": null, \"approval\": null}");

        assertEquals(
                new StepSpec(100, 0, 0, 0, false),
                new SpecValidator().validate(request).step(3));
    }

    static Stream<Arguments> numbersBeyondALong() {
        return Stream.of(
                Arguments.of(json("18446744073709551621"), "18446744073709551621 is out of range"), // 2^64 + 5, not 5
                Arguments.of(json("-18446744073709551611"), "-18446744073709551611 is out of range"),
                Arguments.of(json("1e300"), "1.0E300 is out of range"),
                Arguments.of(
                        com.fasterxml.jackson.databind.node.DoubleNode.valueOf(Double.POSITIVE_INFINITY),
                        "must be a whole number, found the number Infinity"),
                Arguments.of(
                        com.fasterxml.jackson.databind.node.DoubleNode.valueOf(Double.NaN),
                        "must be a whole number, found the number NaN"));
    }

    @ParameterizedTest(name = "weight {0}")
    @MethodSource("numbersBeyondALong")
    void refusesWholeNumbersTooLargeToReadRatherThanWrappingThem(JsonNode weight, String problem) {
        assertViolation(
                onlyViolation(set(designExample(), "$.steps[0].weight", weight)),
                "$.steps[0].weight",
                problem,
                "a whole number from 1 to 100 percent");
    }

    @Nested
    class UnknownFields {

        static Stream<Arguments> typos() {
            return Stream.of(
                    Arguments.of(
                            "$.deploymentID",
                            "deploymentId, migrations, override, region, roleArn, secrets, service, smokeTest, steps, target"),
                    Arguments.of(
                            "$.target.listenerARN",
                            "healthTimeoutSeconds, listenerArn, listenerRuleArn, taskDefinition, type"),
                    Arguments.of(
                            "$.migrations.location",
                            "allowDestructive, dryRun, locations, mode, secretId, task, timeoutSeconds"),
                    Arguments.of(
                            "$.steps[1].bakeSecond",
                            "one of approval, bakeSeconds, maxBakeSeconds, minRequests, weight"),
                    Arguments.of("$.steps[3].promote", "approval, bakeSeconds, maxBakeSeconds, minRequests, weight"),
                    Arguments.of("$.analysis.alarm", "alarms, baselineDimensions, canaryDimensions, falsePositiveRate"),
                    Arguments.of("$.analysis.metrics[0].tolerence", "numerator, stat, tolerance"),
                    Arguments.of("$.analysis.metrics[0].numerator.name", "one of metric, namespace"),
                    Arguments.of("$.analysis.slo.window", "one of burnRateLimit, metric, objective, windowDays"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("typos")
        void reportsAnUnknownFieldWithTheFieldsThatAreKnownThere(String path, String known) {
            assertViolation(onlyViolation(set(designExample(), path, "1")), path, "unknown field", known);
        }

        static Stream<Arguments> oddNames() {
            return Stream.of(
                    Arguments.of("bake seconds", "$.steps[0]['bake seconds']"),
                    Arguments.of("bake-seconds", "$.steps[0]['bake-seconds']"),
                    Arguments.of("weight.max", "$.steps[0]['weight.max']"),
                    Arguments.of("it's", "$.steps[0]['it\\'s']"),
                    Arguments.of("", "$.steps[0]['']"),
                    Arguments.of("new\nline", "$.steps[0]['new\\u000aline']"),
                    Arguments.of("x".repeat(200), "$.steps[0]['" + "x".repeat(77) + "...']"));
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("oddNames")
        void writesTheNameOfAnOddlyNamedFieldInBrackets(String name, String path) {
            ObjectNode request = designExample();
            ((ObjectNode) at(request, "$.steps[0]")).put(name, 1);

            assertEquals(path, onlyViolation(request).path());
        }

        @Test
        void keepsTheMessageOnOneLineWhateverTheRequestHolds() {
            String message = refusal(set(designExample(), "$.service", "\"check\\nout\\u0000\""))
                    .getMessage();

            assertTrue(message.contains("'check\\u000aout\\u0000' is not valid"), message);
        }

        @Test
        void reportsATypoAndTheRequiredFieldItWasMeantToBe() {
            ObjectNode request = remove(designExample(), "$.steps[1].bakeSeconds");
            set(request, "$.steps[1].bakeSecond", "300");

            assertEquals(List.of("$.steps[1].bakeSecond", "$.steps[1].bakeSeconds"), paths(violations(request)));
        }
    }

    @Nested
    class TargetRules {

        @Test
        void refusesTheSameServiceForBlueAndGreen() {
            assertViolation(
                    onlyViolation(set(designExample(), "$.target.greenService", "\"checkout-blue\"")),
                    "$.target.greenService",
                    "is the same service as blueService",
                    "a second ECS service");
        }

        @Test
        void refusesTheSameTargetGroupForBlueAndGreen() {
            ObjectNode request = designExample();
            set(request, "$.target.greenTargetGroupArn", at(request, "$.target.blueTargetGroupArn"));

            assertViolation(
                    onlyViolation(request),
                    "$.target.greenTargetGroupArn",
                    "is the same target group as blueTargetGroupArn",
                    "the green service's own target group");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(
                strings = {
                    // another listener of the same load balancer
                    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/50dc6c495c0c9188/0000000000000001/9683b2d02a6cabee",
                    // another load balancer
                    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/stage/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee",
                    // another account
                    "arn:aws:elasticloadbalancing:eu-west-1:210987654321:listener-rule/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee",
                    // a listener whose id begins like ours
                    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2ff/9683b2d02a6cabee"
                })
        void refusesAListenerRuleOfAnotherListener(String ruleArn) {
            assertViolation(
                    onlyViolation(set(designExample(), "$.target.listenerRuleArn", '"' + ruleArn + '"')),
                    "$.target.listenerRuleArn",
                    "is not a rule of listenerArn",
                    "a rule of the listener named in listenerArn");
        }

        @Test
        void checksTheOtherTargetFieldsOnlyForATypeItSupports() {
            ObjectNode request =
                    set(designExample(), "$.target", "{\"type\": \"KUBERNETES\", \"functionName\": \"checkout\"}");

            assertEquals(List.of("$.target.type"), paths(violations(request)));
        }
    }

    @Nested
    class Steps {

        @Test
        void refusesWeightsThatDoNotIncrease() {
            ObjectNode request = set(designExample(), "$.steps[2].weight", "25");

            assertViolation(
                    onlyViolation(request),
                    "$.steps[2].weight",
                    "25 does not increase on the step before (25)",
                    "weights strictly increasing, ending at 100");
        }

        @Test
        void refusesWeightsThatFall() {
            ObjectNode request = set(set(designExample(), "$.steps[0].weight", "30"), "$.steps[1].weight", "20");

            assertViolation(
                    onlyViolation(request),
                    "$.steps[1].weight",
                    "20 does not increase on the step before (30)",
                    "weights strictly increasing");
        }

        @Test
        void refusesOneHundredPercentBeforeTheLastStep() {
            ObjectNode request = set(
                    designExample(),
                    "$.steps",
                    "[{\"weight\": 5, \"bakeSeconds\": 300},"
                            + " {\"weight\": 100, \"bakeSeconds\": 300}, {\"weight\": 100}]");

            List<Violation> violations = violations(request);

            assertViolation(
                    violations.get(0), "$.steps[1].weight", "100 before the last step", "only the last step at 100");
            assertViolation(
                    violations.get(1),
                    "$.steps[2].weight",
                    "100 does not increase on the step before (100)",
                    "weights strictly increasing");
        }

        @Test
        void acceptsAFinalStepThatStatesZeroBake() {
            ObjectNode request = set(
                    designExample(),
                    "$.steps[3]",
                    "{\"weight\": 100, \"bakeSeconds\": 0, \"maxBakeSeconds\": 0, \"minRequests\": 0, \"approval\": false}");

            assertEquals(
                    new StepSpec(100, 0, 0, 0, false),
                    new SpecValidator().validate(request).step(3));
        }

        @Test
        void measuresTheShortestBakeInAnalysisPeriods() {
            ObjectNode request = set(designExample(), "$.analysis.periodSeconds", "600");

            List<Violation> violations = violations(request);

            assertEquals(List.of("$.steps[0].bakeSeconds", "$.steps[1].bakeSeconds"), paths(violations));
            assertViolation(
                    violations.get(0),
                    "$.steps[0].bakeSeconds",
                    "300 is out of range",
                    "a whole number from 600 to 86400 seconds (at least one analysis period)");
        }
    }

    @Nested
    class Analysis {

        @Test
        void refusesCanaryDimensionsThatSelectTheBaseline() {
            ObjectNode request =
                    set(designExample(), "$.analysis.metrics[0].canaryDimensions", "{\"Version\": \"v41\"}");

            assertViolation(
                    onlyViolation(request),
                    "$.analysis.metrics[0].canaryDimensions",
                    "select the same data as baselineDimensions, so the canary would be compared with itself",
                    "dimensions that tell the new version from the old one");
        }

        @Test
        void refusesAnalysisDimensionsThatSelectTheBaselineOnceWhereTheyAreStated() {
            ObjectNode request = remove(
                    remove(designExample(), "$.analysis.metrics[0].canaryDimensions"),
                    "$.analysis.metrics[0].baselineDimensions");
            set(
                    request,
                    "$.analysis.baselineDimensions",
                    at(request, "$.analysis.canaryDimensions").deepCopy());

            assertViolation(
                    onlyViolation(request),
                    "$.analysis.canaryDimensions",
                    "select the same data as baselineDimensions",
                    "dimensions that tell the new version from the old one");
        }

        @Test
        void refusesAMetricsOwnDimensionsThatSelectTheInheritedOtherSide() {
            ObjectNode request = set(
                    designExample(),
                    "$.analysis.metrics[1].baselineDimensions",
                    "{\"Service\": \"checkout\", \"Version\": \"v42\"}");

            assertViolation(
                    onlyViolation(request),
                    "$.analysis.metrics[1].baselineDimensions",
                    "select the same data as canaryDimensions",
                    "dimensions that tell the new version from the old one");
        }

        @Test
        void reportsBadAnalysisDimensionsOnceNotAgainForEveryMetricThatInheritsThem() {
            ObjectNode request = remove(
                    remove(designExample(), "$.analysis.metrics[0].canaryDimensions"),
                    "$.analysis.metrics[0].baselineDimensions");
            set(request, "$.analysis.canaryDimensions.Version", "42");

            assertViolation(
                    onlyViolation(request),
                    "$.analysis.canaryDimensions.Version",
                    "must be a string, found the number 42",
                    "printable ASCII");
        }

        @Test
        void requiresDimensionsOnTheMetricWhenTheAnalysisHasNone() {
            ObjectNode request = remove(designExample(), "$.analysis.baselineDimensions");

            assertViolation(
                    onlyViolation(request),
                    "$.analysis.metrics[1].baselineDimensions",
                    "is required here or in analysis.baselineDimensions",
                    "the CloudWatch dimensions that select the baseline's data");
        }

        @Test
        void refusesStatisticFieldsOnARatioMetric() {
            ObjectNode request = set(designExample(), "$.analysis.metrics[0].stat", "\"Sum\"");
            set(request, "$.analysis.metrics[0].namespace", "\"App\"");

            List<Violation> violations = violations(request);

            assertEquals(List.of("$.analysis.metrics[0].namespace", "$.analysis.metrics[0].stat"), paths(violations));
            violations.forEach(violation -> assertViolation(
                    violation, violation.path(), "does not apply to a RATIO metric", "numerator and denominator"));
        }

        @Test
        void refusesRatioFieldsOnAStatisticMetric() {
            ObjectNode request = set(
                    designExample(),
                    "$.analysis.metrics[1].numerator",
                    "{\"namespace\": \"App\", \"metric\": \"5xx\"}");

            assertViolation(
                    onlyViolation(request),
                    "$.analysis.metrics[1].numerator",
                    "does not apply to a STATISTIC metric",
                    "namespace, metric and stat");
        }

        @Test
        void refusesAnSloWithoutARatioMetricToMeasureItsBurnRate() {
            ObjectNode request = remove(designExample(), "$.analysis.metrics[0]");

            assertViolation(
                    onlyViolation(request),
                    "$.analysis.slo",
                    "an SLO needs an error-rate metric to measure its burn rate",
                    "an INCREASE_IS_BAD RATIO metric (errors over requests) in analysis.metrics, named by slo.metric");
        }

        @Test
        void refusesAnSloWhoseOnlyRatioIsASuccessRateBecauseItCountsNoFailures() {
            ObjectNode request = set(designExample(), "$.analysis.metrics[0].direction", "\"DECREASE_IS_BAD\"");

            assertViolation(
                    onlyViolation(request),
                    "$.analysis.slo",
                    "an SLO needs an error-rate metric to measure its burn rate",
                    "an INCREASE_IS_BAD RATIO metric");
        }

        @Test
        void measuresTheSloOnTheFirstErrorRateByDefaultEvenBehindASuccessRate() {
            ObjectNode request = designExample();
            ((ArrayNode) at(request, "$.analysis.metrics")).insert(0, successRate());

            DeploymentSpec spec = new SpecValidator().validate(request);

            assertEquals("error-rate", spec.analysis().slo().metric());
            assertEquals("error-rate", spec.analysis().sloMetric().orElseThrow().name());
        }

        @Test
        void measuresTheSloOnTheMetricItNames() {
            ObjectNode request = designExample();
            ObjectNode serverErrors = at(request, "$.analysis.metrics[0]").deepCopy();
            serverErrors.put("name", "server-errors");
            ((ArrayNode) at(request, "$.analysis.metrics")).add(serverErrors);
            set(request, "$.analysis.slo.metric", "\"server-errors\"");

            assertEquals(
                    "server-errors",
                    new SpecValidator().validate(request).analysis().slo().metric());
        }

        @Test
        void refusesAnSloMetricThatIsNotAnErrorRateSayingWhichAre() {
            ObjectNode request = designExample();
            ((ArrayNode) at(request, "$.analysis.metrics")).add(successRate());

            assertViolation(
                    onlyViolation(set(request.deepCopy(), "$.analysis.slo.metric", "\"success-rate\"")),
                    "$.analysis.slo.metric",
                    "'success-rate' is a DECREASE_IS_BAD RATIO (a success rate), which counts no failures",
                    "the name of an INCREASE_IS_BAD RATIO metric (errors over requests): error-rate");
            assertViolation(
                    onlyViolation(set(request.deepCopy(), "$.analysis.slo.metric", "\"p99-latency\"")),
                    "$.analysis.slo.metric",
                    "'p99-latency' is a STATISTIC, which counts no failures",
                    "error-rate");
            assertViolation(
                    onlyViolation(set(request.deepCopy(), "$.analysis.slo.metric", "\"errors\"")),
                    "$.analysis.slo.metric",
                    "'errors' is not the name of a metric in analysis.metrics",
                    "error-rate");
        }

        private static JsonNode successRate() {
            return json(
                    "{\"name\": \"success-rate\", \"kind\": \"RATIO\", \"numerator\": {\"namespace\": \"App\", \"metric\": \"2xx\"},"
                            + " \"denominator\": {\"namespace\": \"App\", \"metric\": \"Requests\"}, \"direction\": \"DECREASE_IS_BAD\","
                            + " \"tolerance\": 0.01}");
        }

        @Test
        void blamesAFaultyErrorRateMetricAloneNotTheSloThatNeedsIt() {
            ObjectNode request = remove(designExample(), "$.analysis.metrics[0].denominator");

            assertViolation(onlyViolation(request), "$.analysis.metrics[0].denominator", "is required", "an object");
        }

        @Test
        void refusesAnSloWithoutARatioMetricEvenWhenTheSloItselfIsFaulty() {
            ObjectNode request =
                    set(remove(designExample(), "$.analysis.metrics[0]"), "$.analysis.slo.windowDays", "0");

            assertEquals(List.of("$.analysis.slo.windowDays", "$.analysis.slo"), paths(violations(request)));
        }

        @Test
        void refusesAnAnalysisWithNeitherMetricsNorAlarms() {
            ObjectNode request = set(designExample(), "$.analysis.metrics", "[]");
            set(request, "$.analysis.alarms", "[]");
            remove(request, "$.analysis.slo");

            assertViolation(
                    onlyViolation(request),
                    "$.analysis.metrics",
                    "the analysis has no metrics and no alarms, so nothing could ever fail a step",
                    "at least one metric or alarm");
        }
    }

    /** The most of each list the validator accepts, and why it is not unlimited. */
    enum Limit {
        STEPS("$.steps", 20) {
            @Override
            void fill(ObjectNode request, int count) {
                ArrayNode steps = request.putArray("steps");
                for (int index = 1; index < count; index++) {
                    steps.addObject().put("weight", index).put("bakeSeconds", 300);
                }
                steps.addObject().put("weight", 100);
            }
        },
        METRICS("$.analysis.metrics", 50) {
            @Override
            void fill(ObjectNode request, int count) {
                ArrayNode metrics = ((ObjectNode) request.get("analysis")).putArray("metrics");
                for (int index = 0; index < count; index++) {
                    metrics.addObject()
                            .put("name", index == 0 ? "error-rate" : "metric-" + index)
                            .put("kind", "RATIO")
                            .put("tolerance", 0.1)
                            .<ObjectNode>set("numerator", json("{\"namespace\": \"App\", \"metric\": \"5xx\"}"))
                            .set("denominator", json("{\"namespace\": \"App\", \"metric\": \"Requests\"}"));
                }
            }
        },
        ALARMS("$.analysis.alarms", 100) {
            @Override
            void fill(ObjectNode request, int count) {
                ArrayNode alarms = ((ObjectNode) request.get("analysis")).putArray("alarms");
                for (int index = 0; index < count; index++) {
                    alarms.add("checkout-alarm-" + index);
                }
            }
        },
        DIMENSIONS("$.analysis.canaryDimensions", 30) {
            @Override
            void fill(ObjectNode request, int count) {
                ObjectNode dimensions = ((ObjectNode) request.get("analysis")).putObject("canaryDimensions");
                for (int index = 0; index < count; index++) {
                    dimensions.put("Dimension" + index, "v42");
                }
            }
        };

        final String path;
        final int most;

        Limit(String path, int most) {
            this.path = path;
            this.most = most;
        }

        abstract void fill(ObjectNode request, int count);
    }

    @ParameterizedTest
    @EnumSource(Limit.class)
    void acceptsListsUpToTheirLimit(Limit limit) {
        ObjectNode request = minimal();
        limit.fill(request, limit.most);

        new SpecValidator().validate(request);
    }

    @ParameterizedTest
    @EnumSource(Limit.class)
    void refusesListsLongerThanTheirLimit(Limit limit) {
        ObjectNode request = minimal();
        limit.fill(request, limit.most + 1);

        Violation violation = onlyViolation(request);

        assertEquals(limit.path, violation.path());
        assertEquals(
                "has " + (limit.most + 1) + (limit == Limit.DIMENSIONS ? " entries" : " items"), violation.problem());
        assertTrue(violation.allowed().contains(Integer.toString(limit.most)), violation::toString);
    }
}
