package dev.tollgate.bench.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.json.Json;
import dev.tollgate.local.CodeDeployFixture;
import dev.tollgate.local.EcsAlbFixture;
import dev.tollgate.local.LocalStack;
import dev.tollgate.local.ReleaseDatabase;
import dev.tollgate.local.RepositoryFiles;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.SecretPinningService;
import dev.tollgate.secrets.SecretsManagerSecretResolver;
import dev.tollgate.spec.SecretRef;
import dev.tollgate.traffic.alb.AlbWeightedRouter;
import dev.tollgate.traffic.codedeploy.CodeDeployRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The sample event each function serves in the cold-start benchmark: the one under {@code events/},
 * with what the local stack cannot reproduce replaced by what exists in it. Before the first run,
 * {@link #prepare()} creates what the events name: the service's ECS cluster, services, ALB and target
 * groups (their ARNs replace the sample's), the deployment's record and lock, the named alarms, ten
 * minutes of canary and baseline metrics, the secret. Events that change something the next run needs
 * unchanged get a fresh resource per run: a new database for the Flyway migrations, a new CodePipeline job.
 */
final class SampleEvents {

    static final String SERVICE = "checkout";

    /** Which sample each function serves, by the function's logical id in template.yaml. */
    static final Map<String, String> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("ValidateRequestFunction", "validate-request.json");
        SAMPLES.put("DeploymentLockFunction", "deployment-lock-acquire.json");
        SAMPLES.put("CheckErrorBudgetFunction", "check-error-budget.json");
        SAMPLES.put("FetchSecretsFunction", "fetch-secrets.json");
        SAMPLES.put("RunMigrationsFunction", "run-migrations-flyway.json");
        SAMPLES.put("DeployCanaryFunction", "deploy-canary.json");
        SAMPLES.put("ShiftTrafficFunction", "shift-traffic.json");
        SAMPLES.put("DecideFunction", "decide.json");
        SAMPLES.put("ApprovalFunction", "approval.json");
        SAMPLES.put("FinalizeFunction", "finalize-promote.json");
        SAMPLES.put("PipelineBridgeFunction", "pipeline-bridge-invalid-spec.json");
        SAMPLES.put("CodeDeployHookFunction", "codedeploy-hook.json");
        SAMPLES.put("ReleaseFunction", "release-target-ended.json");
    }

    private static final int PERIOD_SECONDS = 60;
    private static final int PERIODS_OF_METRICS = 10;

    private final LocalStack stack;
    private final Path folder;
    private final HttpClient http = HttpClient.newHttpClient();
    private EcsAlbFixture fixture;
    private Instant metricsStart;
    private String codeDeployDeploymentId;

    SampleEvents(LocalStack stack, Path folder) {
        this.stack = stack;
        this.folder = folder;
    }

    /** What the samples name, created once in the local stack. */
    void prepare() {
        fixture = EcsAlbFixture.create(stack, SERVICE);
        JsonNode lock = sample("deployment-lock-acquire.json");
        // The record and the lock, held by the execution the lock sample names: its ACQUIRE is then a retry, which
        // succeeds.
        new DynamoDeploymentStore(stack.dynamo(), LocalStack.TABLE_NAME)
                .acquire(
                        lock.path("service").asText(),
                        lock.path("deploymentId").asText(),
                        lock.path("executionArn").asText(),
                        Instant.now());
        JsonNode analysis = sample("decide.json").path("spec").path("analysis");
        createAlarms(analysis.path("alarms"));
        putMetrics(analysis);
        createSecret(sample("fetch-secrets.json").path("spec").path("secrets").get(0));
        codeDeployDeploymentId = codeDeployment(hookedDeployment());
    }

    /** A Tollgate deployment of its own whose first step has started: the hook finds it undecided and parks on its record. */
    private String hookedDeployment() {
        String deploymentId = "hooked-2026-11-24-v42";
        DynamoDeploymentStore store = new DynamoDeploymentStore(stack.dynamo(), LocalStack.TABLE_NAME);
        store.acquire(
                "hooked",
                deploymentId,
                "arn:aws:states:us-east-1:" + LocalStack.ACCOUNT + ":execution:tollgate-deployment:" + deploymentId,
                Instant.now());
        store.append(
                deploymentId,
                new TimelineEntry(
                        TimelineEntry.STEP_SHIFTED_PREFIX + 0,
                        Instant.now(),
                        "WatchTrafficShift",
                        "step 1/2: CodeDeploy at 10 %",
                        0,
                        10,
                        null));
        return deploymentId;
    }

    /**
     * A CodeDeploy deployment of a Lambda alias that names {@code deploymentId} as Tollgate's
     * (its description), as Tollgate creates them: the hook finds the record and parks on it.
     */
    private String codeDeployment(String deploymentId) {
        CodeDeployFixture group = CodeDeployFixture.create(stack, "hooked");
        try (LambdaClient lambda = stack.lambda();
                CodeDeployClient codeDeploy = stack.codeDeploy()) {
            String release = lambda.publishVersion(
                            publish -> publish.functionName(group.function().functionName()))
                    .version();
            String appSpec =
                    "{\"version\":0.0,\"Resources\":[{\"f\":{\"Type\":\"AWS::Lambda::Function\",\"Properties\":{"
                            + "\"Name\":\"" + group.function().functionName() + "\",\"Alias\":\""
                            + group.function().alias()
                            + "\",\"CurrentVersion\":\"" + group.function().liveVersion() + "\",\"TargetVersion\":\""
                            + release + "\"}}}]}";
            return codeDeploy
                    .createDeployment(create -> create.applicationName(group.application())
                            .deploymentGroupName(group.deploymentGroup())
                            .deploymentConfigName("CodeDeployDefault.LambdaAllAtOnce")
                            .description(CodeDeployRouter.DESCRIPTION_PREFIX + deploymentId)
                            .revision(revision -> revision.revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                                    .appSpecContent(content -> content.content(appSpec))))
                    .deploymentId();
        }
    }

    /** The event file for {@code function}'s run number {@code run}. */
    Path event(String function, int run) {
        String name = SAMPLES.get(function);
        if (name == null) {
            throw new IllegalArgumentException("no sample event for " + function);
        }
        JsonNode event = sample(name);
        if (event.has("spec")) {
            withFixtureTarget((ObjectNode) event.get("spec"));
        }
        switch (function) {
            case "DecideFunction" -> ((ObjectNode) event.get("progress")).put("stepStartedAt", metricsStart.toString());
            case "RunMigrationsFunction" -> withFreshDatabase((ObjectNode) event, run);
            case "DeployCanaryFunction" -> startOver();
            case "ShiftTrafficFunction" -> {
                startOver();
                invokeLocally("DeployCanaryFunction", "deploy-canary.json");
            }
            case "FinalizeFunction" -> {
                startOver();
                invokeLocally("DeployCanaryFunction", "deploy-canary.json");
                invokeLocally("ShiftTrafficFunction", "shift-traffic.json");
            }
            case "PipelineBridgeFunction" -> withNewJob((ObjectNode) event);
            case "CodeDeployHookFunction" -> ((ObjectNode) event).put("DeploymentId", codeDeployDeploymentId);
            default -> {
                // The sample as it is, with the fixture's target.
            }
        }
        Path file = folder.resolve(function + "-" + run + ".json");
        try {
            Files.createDirectories(folder);
            Files.writeString(file, Json.write(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private void withFixtureTarget(ObjectNode spec) {
        ObjectNode target = (ObjectNode) spec.get("target");
        target.put("cluster", fixture.cluster());
        target.put("blueService", fixture.blueService());
        target.put("greenService", fixture.greenService());
        target.put("listenerArn", fixture.listenerArn());
        target.put("blueTargetGroupArn", fixture.blueTargetGroupArn());
        target.put("greenTargetGroupArn", fixture.greenTargetGroupArn());
        target.put("taskDefinition", fixture.releaseTaskDefinition());
    }

    /**
     * The deploy, shift and finalize samples act on one deployment's target, in an order that changes
     * from round to round: each run starts from the state its function expects, as the state machine
     * would have left it. From before the deploy: 100 % blue and no traffic record.
     */
    private void startOver() {
        allTrafficToBlue();
        String deploymentId =
                sample("deploy-canary.json").path("spec").path("deploymentId").asText();
        try (DynamoDbClient dynamo = stack.dynamo()) {
            dynamo.updateItem(update -> update.tableName(LocalStack.TABLE_NAME)
                    .key(Map.of("pk", AttributeValue.fromS("DEPLOYMENT#" + deploymentId)))
                    .updateExpression("REMOVE #traffic")
                    .expressionAttributeNames(Map.of("#traffic", "traffic")));
        }
    }

    /** Runs {@code function} on its sample in the local stack (its Lambda endpoint, in this JVM): a step before the one measured. */
    private void invokeLocally(String function, String sampleName) {
        JsonNode event = sample(sampleName);
        withFixtureTarget((ObjectNode) event.get("spec"));
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(stack.lambdaEndpoint()
                                    .uri()
                                    .resolve("/2015-03-31/functions/" + function + "/invocations"))
                            .POST(HttpRequest.BodyPublishers.ofString(Json.write(event)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.headers().firstValue("X-Amz-Function-Error").isPresent()) {
                throw new IllegalStateException(function + " failed on " + sampleName + ": " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the local Lambda endpoint", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A release starts from 100 % blue: put the listener back where the shift and finalize samples
     * moved it, and take away the live-side tags finalize's promotion put on green (with them, the
     * deploy would rightly refuse a listener that contradicts them).
     */
    private void allTrafficToBlue() {
        try (EcsClient ecs = stack.ecs()) {
            for (String service : List.of(fixture.blueService(), fixture.greenService())) {
                String arn = ecs.describeServices(
                                describe -> describe.cluster(fixture.cluster()).services(service))
                        .services()
                        .get(0)
                        .serviceArn();
                ecs.untagResource(untag -> untag.resourceArn(arn)
                        .tagKeys(AlbWeightedRouter.LIVE_SINCE_TAG, AlbWeightedRouter.LIVE_DEPLOYMENT_TAG));
            }
        }
        try (ElasticLoadBalancingV2Client elb = stack.elb()) {
            elb.modifyListener(modify -> modify.listenerArn(fixture.listenerArn())
                    .defaultActions(Action.builder()
                            .type(ActionTypeEnum.FORWARD)
                            .forwardConfig(ForwardActionConfig.builder()
                                    .targetGroups(
                                            TargetGroupTuple.builder()
                                                    .targetGroupArn(fixture.blueTargetGroupArn())
                                                    .weight(100)
                                                    .build(),
                                            TargetGroupTuple.builder()
                                                    .targetGroupArn(fixture.greenTargetGroupArn())
                                                    .weight(0)
                                                    .build())
                                    .build())
                            .build()));
        }
    }

    /** Every run applies the release's two Flyway scripts to a database of its own, as a first deployment would. */
    private void withFreshDatabase(ObjectNode event, int run) {
        ReleaseDatabase database = ReleaseDatabase.demo(stack, "coldstart" + run, EcsAlbFixture.RELEASE_VERSION);
        ObjectNode spec = (ObjectNode) event.get("spec");
        ArrayNode secrets = spec.putArray("secrets");
        ObjectNode secret = secrets.addObject();
        secret.put("id", database.secretId());
        secret.putArray("requiredKeys")
                .add("host")
                .add("port")
                .add("username")
                .add("password")
                .add("dbname");
        ObjectNode migrations = (ObjectNode) spec.get("migrations");
        migrations.put("secretId", database.secretId());
        migrations.putArray("locations").add(database.location());
        try (SecretsManagerClient secretsManager = stack.secretsManager()) {
            PinnedSecrets pinned = new SecretPinningService(new SecretsManagerSecretResolver(secretsManager))
                    .pin(List.of(new SecretRef(
                            database.secretId(), List.of("host", "port", "username", "password", "dbname"))));
            event.set("secrets", Json.MAPPER.valueToTree(pinned));
        }
    }

    /** A job in the local stack's CodePipeline job store for the bridge to answer (a job is answered once). */
    private void withNewJob(ObjectNode event) {
        ObjectNode job = (ObjectNode) event.get("CodePipeline.job");
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("accountId", LocalStack.ACCOUNT);
        body.set("data", job.get("data"));
        try {
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(stack.moto().endpoint() + "/moto-api/tollgate/codepipeline/jobs"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            job.put("id", Json.tree(created.body()).path("id").asText());
            job.put("accountId", LocalStack.ACCOUNT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a CodePipeline job in the local stack", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void createAlarms(JsonNode names) {
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            for (JsonNode name : names) {
                cloudWatch.putMetricAlarm(alarm -> alarm.alarmName(name.asText())
                        .namespace("App")
                        .metricName("5xx")
                        .dimensions(dimension("Service", SERVICE), dimension("Version", EcsAlbFixture.RELEASE_VERSION))
                        .statistic(Statistic.SUM)
                        .period(PERIOD_SECONDS)
                        .evaluationPeriods(1)
                        .threshold(1000.0)
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
                cloudWatch.setAlarmState(
                        state -> state.alarmName(name.asText()).stateValue("OK").stateReason("benchmark fixture"));
            }
        }
    }

    /**
     * Ten one-minute periods of every metric the analysis sample reads, for the canary and the
     * baseline, ending at the last whole minute; and an hour-old day of the baseline's traffic for
     * the error budget.
     */
    private void putMetrics(JsonNode analysis) {
        long now = Instant.now().getEpochSecond();
        Instant lastWholePeriod = Instant.ofEpochSecond(now - now % PERIOD_SECONDS);
        metricsStart = lastWholePeriod.minusSeconds((long) PERIOD_SECONDS * PERIODS_OF_METRICS);
        Random random = new Random(7);
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            for (JsonNode metric : analysis.path("metrics")) {
                for (String side : List.of("canaryDimensions", "baselineDimensions")) {
                    List<Dimension> dimensions = new ArrayList<>();
                    metric.path(side)
                            .properties()
                            .forEach(entry -> dimensions.add(
                                    dimension(entry.getKey(), entry.getValue().asText())));
                    List<MetricDatum> data = new ArrayList<>();
                    for (int period = 0; period < PERIODS_OF_METRICS; period++) {
                        Instant at = metricsStart.plusSeconds((long) PERIOD_SECONDS * period + 1);
                        if ("RATIO".equals(metric.path("kind").asText())) {
                            data.add(datum(
                                    metric.path("denominator").path("metric").asText(),
                                    dimensions,
                                    at,
                                    List.of(1000.0)));
                            data.add(datum(
                                    metric.path("numerator").path("metric").asText(), dimensions, at, List.of(2.0)));
                        } else {
                            List<Double> values = new ArrayList<>();
                            for (int i = 0; i < 20; i++) {
                                values.add(80 * Math.exp(0.3 * random.nextGaussian()));
                            }
                            data.add(datum(metric.path("metric").asText(), dimensions, at, values));
                        }
                    }
                    if ("RATIO".equals(metric.path("kind").asText()) && "baselineDimensions".equals(side)) {
                        Instant anHourAgo = Instant.ofEpochSecond(now - 3600);
                        data.add(datum(
                                metric.path("denominator").path("metric").asText(),
                                dimensions,
                                anHourAgo,
                                List.of(250_000.0)));
                        data.add(datum(
                                metric.path("numerator").path("metric").asText(),
                                dimensions,
                                anHourAgo,
                                List.of(50.0)));
                    }
                    String namespace = metric.path("kind").asText().equals("RATIO")
                            ? metric.path("numerator").path("namespace").asText()
                            : metric.path("namespace").asText();
                    // moto matches a query's dimensions to the stored ones in order (CloudWatch treats them as a set),
                    // and a
                    // function in another JVM may list them in another order: store them in every order.
                    for (List<Dimension> order : orders(dimensions)) {
                        List<MetricDatum> ordered = data.stream()
                                .map(datum ->
                                        datum.toBuilder().dimensions(order).build())
                                .toList();
                        cloudWatch.putMetricData(put -> put.namespace(namespace).metricData(ordered));
                    }
                }
            }
        }
    }

    /** Every order of {@code dimensions} (a metric has two or three here). */
    static List<List<Dimension>> orders(List<Dimension> dimensions) {
        if (dimensions.size() <= 1) {
            return List.of(dimensions);
        }
        List<List<Dimension>> orders = new ArrayList<>();
        for (int first = 0; first < dimensions.size(); first++) {
            List<Dimension> rest = new ArrayList<>(dimensions);
            Dimension head = rest.remove(first);
            for (List<Dimension> tail : orders(rest)) {
                List<Dimension> order = new ArrayList<>();
                order.add(head);
                order.addAll(tail);
                orders.add(order);
            }
        }
        return orders;
    }

    private void createSecret(JsonNode secretRef) {
        ObjectNode value = Json.MAPPER.createObjectNode();
        secretRef.path("requiredKeys").forEach(key -> value.put(key.asText(), "sample-" + key.asText()));
        try (SecretsManagerClient secretsManager = stack.secretsManager()) {
            secretsManager.createSecret(
                    create -> create.name(secretRef.path("id").asText()).secretString(Json.write(value)));
        }
    }

    private static MetricDatum datum(String metric, List<Dimension> dimensions, Instant at, List<Double> values) {
        return MetricDatum.builder()
                .metricName(metric)
                .dimensions(dimensions)
                .timestamp(at)
                .values(values)
                .build();
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    static JsonNode sample(String name) {
        try {
            return Json.tree(
                    Files.readString(RepositoryFiles.root().resolve("events").resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read events/" + name, e);
        }
    }
}
