package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.util.Map;

/**
 * The deployment specs the demo and the integration tests start, one per target type: canary steps,
 * 5-second periods so a whole rollout takes a minute or two, and every kind of check: an error-rate
 * ratio, a latency percentile, the SLO burn rate and a CloudWatch alarm.
 */
public final class DemoSpecs {

    public static final int PERIOD_SECONDS = 5;
    /** The ECS demo's old side keeps its tasks this long after the promotion (a real service: minutes). */
    public static final int DRAIN_SECONDS = 2;

    private DemoSpecs() {}

    /** Two ECS services behind an ALB; three steps: 10 %, 50 %, then promotion. */
    public static ObjectNode ecsAlb(String deploymentId, EcsAlbFixture fixture, String alarmName) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        ObjectNode target = deploymentOf(spec, deploymentId, fixture.service(), "ECS_ALB");
        target.put("cluster", fixture.cluster());
        target.put("blueService", fixture.blueService());
        target.put("greenService", fixture.greenService());
        target.put("listenerArn", fixture.listenerArn());
        target.put("blueTargetGroupArn", fixture.blueTargetGroupArn());
        target.put("greenTargetGroupArn", fixture.greenTargetGroupArn());
        target.put("taskDefinition", fixture.releaseTaskDefinition());
        target.put("healthTimeoutSeconds", 60);
        target.put("drainSeconds", DRAIN_SECONDS);
        threeSteps(spec);
        analysis(
                spec,
                TrafficSimulator.NAMESPACE,
                "Errors",
                "Requests",
                "Latency",
                TrafficSimulator.dimensions(fixture.service(), EcsAlbFixture.RELEASE_VERSION),
                TrafficSimulator.dimensions(fixture.service(), EcsAlbFixture.LIVE_VERSION),
                alarmName);
        return spec;
    }

    /**
     * A Lambda alias; Tollgate publishes the release, so the canary's dimensions name it by the
     * {@code {canaryVersion}} placeholder, resolved once the version is published. The baseline is the
     * version the alias serves now, written out so the error-budget check (which runs before the
     * release exists) reads the live version's history.
     */
    public static ObjectNode lambdaAlias(String deploymentId, LambdaAliasFixture fixture, String alarmName) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        ObjectNode target = deploymentOf(spec, deploymentId, fixture.service(), "LAMBDA_ALIAS");
        target.put("functionName", fixture.functionName());
        target.put("alias", fixture.alias());
        target.put("healthTimeoutSeconds", 60);
        threeSteps(spec);
        lambdaAnalysis(spec, fixture, alarmName);
        return spec;
    }

    /**
     * A CodeDeploy deployment group on the Lambda compute platform; two steps, so CodeDeploy runs a
     * TimeBasedCanary of 10 % for one minute (its smallest interval) before shifting the rest.
     */
    public static ObjectNode codeDeploy(String deploymentId, CodeDeployFixture fixture, String alarmName) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        ObjectNode target = deploymentOf(spec, deploymentId, fixture.service(), "CODEDEPLOY");
        target.put("application", fixture.application());
        target.put("deploymentGroup", fixture.deploymentGroup());
        ObjectNode lambda = target.putObject("lambda");
        lambda.put("functionName", fixture.function().functionName());
        lambda.put("alias", fixture.function().alias());
        target.put("healthTimeoutSeconds", 60);
        ArrayNode steps = spec.putArray("steps");
        steps.addObject().put("weight", 10).put("bakeSeconds", 60).put("minRequests", 150);
        steps.addObject().put("weight", 100);
        lambdaAnalysis(spec, fixture.function(), alarmName);
        return spec;
    }

    /** Names the deployment and its service; the target of that type, for the caller to fill in. */
    private static ObjectNode deploymentOf(ObjectNode spec, String deploymentId, String service, String targetType) {
        spec.put("deploymentId", deploymentId);
        spec.put("service", service);
        ObjectNode target = spec.putObject("target");
        target.put("type", targetType);
        return target;
    }

    private static void threeSteps(ObjectNode spec) {
        ArrayNode steps = spec.putArray("steps");
        // A sequential test needs about seven periods of agreement before it passes a step at a 1 % false-positive
        // rate.
        steps.addObject()
                .put("weight", 10)
                .put("bakeSeconds", 35)
                .put("maxBakeSeconds", 90)
                .put("minRequests", 2000);
        steps.addObject()
                .put("weight", 50)
                .put("bakeSeconds", 35)
                .put("maxBakeSeconds", 90)
                .put("minRequests", 5000);
        steps.addObject().put("weight", 100);
    }

    private static void lambdaAnalysis(ObjectNode spec, LambdaAliasFixture fixture, String alarmName) {
        analysis(
                spec,
                TrafficSimulator.LAMBDA_NAMESPACE,
                "Errors",
                "Invocations",
                "Duration",
                TrafficSimulator.lambdaDimensions(fixture, "{canaryVersion}"),
                TrafficSimulator.lambdaDimensions(fixture, fixture.liveVersion()),
                alarmName);
    }

    private static void analysis(
            ObjectNode spec,
            String namespace,
            String errors,
            String requests,
            String latencyMetric,
            Map<String, String> canaryDimensions,
            Map<String, String> baselineDimensions,
            String alarmName) {
        ObjectNode analysis = spec.putObject("analysis");
        analysis.put("periodSeconds", PERIOD_SECONDS);
        analysis.set("canaryDimensions", Json.MAPPER.valueToTree(canaryDimensions));
        analysis.set("baselineDimensions", Json.MAPPER.valueToTree(baselineDimensions));
        ArrayNode metrics = analysis.putArray("metrics");
        ObjectNode errorRate = metrics.addObject();
        errorRate.put("name", "error-rate");
        errorRate.put("kind", "RATIO");
        errorRate.set("numerator", Json.MAPPER.valueToTree(Map.of("namespace", namespace, "metric", errors)));
        errorRate.set("denominator", Json.MAPPER.valueToTree(Map.of("namespace", namespace, "metric", requests)));
        errorRate.put("direction", "INCREASE_IS_BAD");
        errorRate.put("tolerance", 0.5);
        errorRate.put("critical", true);
        ObjectNode latency = metrics.addObject();
        latency.put("name", "p95-latency");
        latency.put("kind", "STATISTIC");
        latency.put("namespace", namespace);
        latency.put("metric", latencyMetric);
        latency.put("stat", "p95");
        latency.put("tolerance", 0.3);
        // A doubled p95 rolls back at the second period of its step; non-critical, it would need a third to confirm.
        latency.put("critical", true);
        ObjectNode slo = analysis.putObject("slo");
        slo.put("objective", 0.98);
        slo.put("windowDays", 1);
        slo.put("burnRateLimit", 14.4);
        analysis.putArray("alarms").add(alarmName);
        analysis.put("falsePositiveRate", 0.01);
        analysis.put("onInconclusive", "ROLLBACK");
    }

    /** Puts an approval gate after step {@code stepIndex}: the rollout waits there for a human. */
    public static ObjectNode withApproval(ObjectNode spec, int stepIndex) {
        ((ObjectNode) spec.path("steps").get(stepIndex)).put("approval", true);
        return spec;
    }

    /** Makes the migrations a dry run: the deployment lists what they would apply and stops, nothing deployed. */
    public static ObjectNode withDryRun(ObjectNode spec) {
        ((ObjectNode) spec.path("migrations")).put("dryRun", true);
        return spec;
    }

    /** Keeps the old version able to serve for {@code seconds} after the promotion, for {@code tollgate rollback}. */
    public static ObjectNode withRollbackWindow(ObjectNode spec, int seconds) {
        ObjectNode afterPromotion =
                spec.has("afterPromotion") ? (ObjectNode) spec.get("afterPromotion") : spec.putObject("afterPromotion");
        afterPromotion.put("rollbackWindowSeconds", seconds);
        return spec;
    }

    /** How long the demo watches a release after its promotion when its scenario needs it: six periods. */
    public static final int WATCH_SECONDS = 30;

    /** Keeps judging the new version at 100 % for {@code seconds} after the promotion, against the old version's history. */
    public static ObjectNode withWatch(ObjectNode spec, int seconds) {
        ObjectNode afterPromotion =
                spec.has("afterPromotion") ? (ObjectNode) spec.get("afterPromotion") : spec.putObject("afterPromotion");
        afterPromotion.put("watchSeconds", seconds);
        return spec;
    }

    /**
     * A smoke test in Tollgate's probe form: GET /health, 200 expected, through {@code testListenerArn} for an ECS_ALB
     * spec (null for LAMBDA_ALIAS, whose new version is invoked).
     */
    public static ObjectNode withSmokeTestProbe(ObjectNode spec, String testListenerArn) {
        ObjectNode smokeTest = spec.putObject("smokeTest");
        smokeTest
                .putObject("probe")
                .put("path", "/health")
                .put("attempts", 2)
                .put("timeoutSeconds", 2)
                .putArray("expectedStatuses")
                .add(200);
        if (testListenerArn != null) {
            smokeTest.put("testListenerArn", testListenerArn);
        }
        return spec;
    }

    /** A smoke test in the team's-function form: {@code functionArn} (see LambdaAliasFixture.createSmokeTestFunction). */
    public static ObjectNode withSmokeTestFunction(ObjectNode spec, String functionArn, String testListenerArn) {
        ObjectNode smokeTest = spec.putObject("smokeTest");
        smokeTest.put("function", functionArn).put("timeoutSeconds", 10);
        if (testListenerArn != null) {
            smokeTest.put("testListenerArn", testListenerArn);
        }
        return spec;
    }

    /** Adds the release's database secret and its Flyway migrations (expand-only unless {@code allowDestructive}). */
    public static ObjectNode withMigrations(ObjectNode spec, ReleaseDatabase release, boolean allowDestructive) {
        ObjectNode secret = spec.putArray("secrets").addObject();
        secret.put("id", release.secretId());
        secret.putArray("requiredKeys")
                .add("engine")
                .add("host")
                .add("port")
                .add("username")
                .add("password")
                .add("dbname");
        ObjectNode migrations = spec.putObject("migrations");
        migrations.put("mode", "FLYWAY");
        migrations.put("secretId", release.secretId());
        migrations.putArray("locations").add(release.location());
        migrations.put("allowDestructive", allowDestructive);
        return spec;
    }
}
