package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code "dryRun": true} on a metric or an alarm: what the validator accepts, refuses and writes back. */
class DryRunSpecTest {

    private static final String DRY_RUN_LATENCY = """
            { "name": "p99-latency", "kind": "STATISTIC", "namespace": "App", "metric": "Latency", "stat": "p99",
              "tolerance": 0.2, "dryRun": true }""";

    @Test
    void readsDryRunMetricsAndAlarmsAndWritesThemBackInTheSameForms() {
        ObjectNode request = SpecFixtures.minimal();
        SpecFixtures.set(request, "$.analysis.metrics[1]", DRY_RUN_LATENCY);
        SpecFixtures.set(
                request,
                "$.analysis.alarms",
                "[\"checkout-p99\", {\"name\": \"checkout-anomaly\", \"dryRun\": true},"
                        + " {\"name\": \"checkout-5xx\"}]");

        DeploymentSpec spec = new SpecValidator().validate(request);
        JsonNode normalised = Json.tree(Json.write(spec));

        assertTrue(spec.analysis().metrics().get(1).dryRun());
        assertFalse(spec.analysis().metrics().get(0).dryRun());
        assertEquals(
                List.of("checkout-p99", "checkout-anomaly", "checkout-5xx"),
                spec.analysis().alarms());
        assertEquals(List.of("checkout-anomaly"), spec.analysis().dryRunAlarms());
        assertEquals(
                Json.tree("[\"checkout-p99\", {\"name\": \"checkout-anomaly\", \"dryRun\": true}, \"checkout-5xx\"]"),
                normalised.at("/analysis/alarms"));
        assertEquals(spec, new SpecValidator().validate(normalised), "the normalised spec validates to itself");
    }

    @Test
    void refusesAnAnalysisWhereEveryCheckIsADryRun() {
        ObjectNode request = SpecFixtures.minimal();
        SpecFixtures.remove(request, "$.analysis.slo");
        SpecFixtures.set(request, "$.analysis.metrics[0].dryRun", "true");
        SpecFixtures.set(request, "$.analysis.alarms", "[{\"name\": \"checkout-anomaly\", \"dryRun\": true}]");

        Violation violation = SpecFixtures.onlyViolation(request);

        assertEquals("$.analysis.metrics", violation.path());
        assertTrue(violation.problem().contains("every metric and alarm is a dry run"), violation.problem());
    }

    @Test
    void refusesAnSloMeasuredOnADryRunMetricAndDefaultsToOneThatDecides() {
        ObjectNode named = SpecFixtures.minimal();
        SpecFixtures.set(named, "$.analysis.metrics[0].dryRun", "true");
        SpecFixtures.set(named, "$.analysis.alarms", "[\"checkout-p99\"]");
        SpecFixtures.set(named, "$.analysis.slo.metric", "\"error-rate\"");

        Violation violation = SpecFixtures.onlyViolation(named);
        assertEquals("$.analysis.slo.metric", violation.path());
        assertTrue(violation.problem().contains("is a dry run"), violation.problem());

        ObjectNode defaulted = SpecFixtures.minimal();
        SpecFixtures.set(defaulted, "$.analysis.metrics[0].dryRun", "true");
        SpecFixtures.set(defaulted, "$.analysis.metrics[1]", """
                { "name": "error-rate-v2", "kind": "RATIO", "tolerance": 0.1,
                  "numerator": { "namespace": "App", "metric": "5xx" }, "denominator": { "namespace": "App", "metric": "Requests" } }""");
        assertEquals(
                "error-rate-v2",
                new SpecValidator().validate(defaulted).analysis().slo().metric());
    }

    @Test
    void refusesAnAlarmObjectWithoutANameOrWithAnUnknownField() {
        ObjectNode request = SpecFixtures.minimal();
        SpecFixtures.set(request, "$.analysis.alarms", "[{\"dryRun\": true}, {\"name\": \"a\", \"critical\": true}]");

        List<String> paths = SpecFixtures.paths(SpecFixtures.violations(request));

        assertEquals(List.of("$.analysis.alarms[0].name", "$.analysis.alarms[1].critical"), paths);
    }
}
