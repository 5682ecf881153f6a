package dev.tollgate.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleasePinsTest {

    @Test
    void resolvesPlaceholdersInEveryMetricsDimensions() {
        String event = SampleEvents.read("shift-traffic.json")
                .replace(
                        "\"Version\": \"v42\"",
                        "\"Version\": \"{canaryVersion}\", \"TargetGroup\": \"{canaryTargetGroup}\"")
                .replace("\"Version\": \"v41\"", "\"Version\": \"live-{baselineVersion}\"");
        DeploymentSpec spec = Json.convert(Json.tree(event).path("spec"), DeploymentSpec.class);

        DeploymentSpec pinned = ReleasePins.pin(
                spec,
                Map.of(
                        "canaryVersion",
                        "checkout:42",
                        "baselineVersion",
                        "checkout:41",
                        "canaryTargetGroup",
                        "targetgroup/checkout-green/2453ed029918f21f"));

        for (var metric : pinned.analysis().metrics()) {
            assertEquals("checkout:42", metric.canaryDimensions().get("Version"));
            assertEquals(
                    "targetgroup/checkout-green/2453ed029918f21f",
                    metric.canaryDimensions().get("TargetGroup"));
            assertEquals("live-checkout:41", metric.baselineDimensions().get("Version"));
        }
        assertEquals(spec.target(), pinned.target());
        assertEquals(spec.steps(), pinned.steps());
    }

    @Test
    void leavesASpecWithoutPlaceholdersAsItIs() {
        DeploymentSpec spec = SampleEvents.spec("shift-traffic.json");

        assertSame(spec, ReleasePins.pin(spec, Map.of("canaryVersion", "42")));
    }
}
