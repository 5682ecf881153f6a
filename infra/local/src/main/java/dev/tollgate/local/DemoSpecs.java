package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.util.Map;

/**
 * The deployment spec the demo and the integration tests start: three steps (10 %, 50 %, then
 * promotion), 5-second periods so a whole rollout takes about a minute and a half, and every kind of check:
 * an error-rate ratio, a latency percentile, the SLO burn rate and a CloudWatch alarm.
 */
public final class DemoSpecs {

    public static final int PERIOD_SECONDS = 5;

    private DemoSpecs() {
    }

    public static ObjectNode ecsAlb(String deploymentId, EcsAlbFixture fixture, String alarmName) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.put("deploymentId", deploymentId);
        spec.put("service", fixture.service());
        ObjectNode target = spec.putObject("target");
        target.put("type", "ECS_ALB");
        target.put("cluster", fixture.cluster());
        target.put("blueService", fixture.blueService());
        target.put("greenService", fixture.greenService());
        target.put("listenerArn", fixture.listenerArn());
        target.put("blueTargetGroupArn", fixture.blueTargetGroupArn());
        target.put("greenTargetGroupArn", fixture.greenTargetGroupArn());
        target.put("taskDefinition", fixture.releaseTaskDefinition());
        target.put("healthTimeoutSeconds", 60);
        ArrayNode steps = spec.putArray("steps");
        // A sequential test needs about seven periods of agreement before it passes a step at a 1 % false-positive rate.
        steps.addObject().put("weight", 10).put("bakeSeconds", 35).put("maxBakeSeconds", 90).put("minRequests", 2000);
        steps.addObject().put("weight", 50).put("bakeSeconds", 35).put("maxBakeSeconds", 90).put("minRequests", 5000);
        steps.addObject().put("weight", 100);
        ObjectNode analysis = spec.putObject("analysis");
        analysis.put("periodSeconds", PERIOD_SECONDS);
        analysis.set("canaryDimensions", Json.MAPPER.valueToTree(
                TrafficSimulator.dimensions(fixture.service(), EcsAlbFixture.RELEASE_VERSION)));
        analysis.set("baselineDimensions", Json.MAPPER.valueToTree(
                TrafficSimulator.dimensions(fixture.service(), EcsAlbFixture.LIVE_VERSION)));
        ArrayNode metrics = analysis.putArray("metrics");
        ObjectNode errorRate = metrics.addObject();
        errorRate.put("name", "error-rate");
        errorRate.put("kind", "RATIO");
        errorRate.set("numerator", Json.MAPPER.valueToTree(Map.of("namespace", TrafficSimulator.NAMESPACE, "metric", "Errors")));
        errorRate.set("denominator", Json.MAPPER.valueToTree(Map.of("namespace", TrafficSimulator.NAMESPACE, "metric", "Requests")));
        errorRate.put("direction", "INCREASE_IS_BAD");
        errorRate.put("tolerance", 0.5);
        errorRate.put("critical", true);
        ObjectNode latency = metrics.addObject();
        latency.put("name", "p99-latency");
        latency.put("kind", "STATISTIC");
        latency.put("namespace", TrafficSimulator.NAMESPACE);
        latency.put("metric", "Latency");
        latency.put("stat", "p99");
        latency.put("tolerance", 0.5);
        ObjectNode slo = analysis.putObject("slo");
        slo.put("objective", 0.98);
        slo.put("windowDays", 1);
        slo.put("burnRateLimit", 14.4);
        analysis.putArray("alarms").add(alarmName);
        analysis.put("falsePositiveRate", 0.01);
        analysis.put("onInconclusive", "ROLLBACK");
        return spec;
    }

    /** Puts an approval gate after step {@code stepIndex}: the rollout waits there for a human. */
    public static ObjectNode withApproval(ObjectNode spec, int stepIndex) {
        ((ObjectNode) spec.path("steps").get(stepIndex)).put("approval", true);
        return spec;
    }

    /** Adds the release's database secret and its Flyway migrations (expand-only unless {@code allowDestructive}). */
    public static ObjectNode withMigrations(ObjectNode spec, ReleaseDatabase release, boolean allowDestructive) {
        ObjectNode secret = spec.putArray("secrets").addObject();
        secret.put("id", release.secretId());
        secret.putArray("requiredKeys").add("engine").add("host").add("port").add("username").add("password").add("dbname");
        ObjectNode migrations = spec.putObject("migrations");
        migrations.put("mode", "FLYWAY");
        migrations.put("secretId", release.secretId());
        migrations.putArray("locations").add(release.location());
        migrations.put("allowDestructive", allowDestructive);
        return spec;
    }
}
