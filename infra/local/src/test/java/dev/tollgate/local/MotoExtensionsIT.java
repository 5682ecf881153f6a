package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.AutoRollbackEvent;
import software.amazon.awssdk.services.codedeploy.model.DeploymentAlreadyCompletedException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentConfigAlreadyExistsException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.codedeploy.model.TrafficRoutingType;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** The moto extensions of {@code moto_launcher.py} (its package {@code moto_ext}), each checked against the behaviour AWS documents. */
class MotoExtensionsIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    @Test
    void getMetricDataAnswersPercentilesFromRawValuesAndSkipsPeriodsWithoutData() {
        Instant periodStart = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 60 * 60 - 600);
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add((double) i);
        }
        Dimension dimension =
                Dimension.builder().name("Probe").value("percentiles").build();
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            cloudWatch.putMetricData(put -> put.namespace("Probe")
                    .metricData(MetricDatum.builder()
                            .metricName("Latency")
                            .dimensions(dimension)
                            .timestamp(periodStart.plusSeconds(1))
                            .values(values)
                            .build()));
            GetMetricDataResponse response = cloudWatch.getMetricData(get -> get.startTime(periodStart)
                    .endTime(periodStart.plusSeconds(180))
                    .metricDataQueries(
                            query("p99", "p99", dimension),
                            query("p50", "p50", dimension),
                            query("p999", "p99.9", dimension),
                            query("avg", "Average", dimension)));
            assertEquals(List.of(99.0), result(response, "p99").values(), "nearest rank of 1..100");
            assertEquals(List.of(50.0), result(response, "p50").values());
            assertEquals(List.of(100.0), result(response, "p999").values());
            assertEquals(List.of(50.5), result(response, "avg").values());
            assertEquals(
                    1, result(response, "p99").timestamps().size(), "the two empty periods are left out, not zero");
        }
    }

    private static MetricDataQuery query(String id, String stat, Dimension dimension) {
        return MetricDataQuery.builder()
                .id(id)
                .metricStat(metricStat -> metricStat
                        .period(60)
                        .stat(stat)
                        .metric(metric ->
                                metric.namespace("Probe").metricName("Latency").dimensions(dimension)))
                .build();
    }

    private static MetricDataResult result(GetMetricDataResponse response, String id) {
        return response.metricDataResults().stream()
                .filter(result -> result.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void updateServiceStartsANewPrimaryDeploymentThatCompletes() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "ecs-probe");
        try (EcsClient ecs = stack.ecs()) {
            ecs.updateService(update -> update.cluster(fixture.cluster())
                    .service(fixture.greenService())
                    .taskDefinition(fixture.releaseTaskDefinition())
                    .desiredCount(3));
            List<Deployment> during = ecs.describeServices(
                            d -> d.cluster(fixture.cluster()).services(fixture.greenService()))
                    .services()
                    .get(0)
                    .deployments();
            assertEquals("PRIMARY", during.get(0).status());
            assertEquals(fixture.releaseTaskDefinition(), during.get(0).taskDefinition());
            assertEquals("IN_PROGRESS", during.get(0).rolloutStateAsString());
            assertEquals("ACTIVE", during.get(1).status(), "the old deployment stays until the rollout completes");

            Thread.sleep(3_000);
            List<Deployment> after = ecs.describeServices(
                            d -> d.cluster(fixture.cluster()).services(fixture.greenService()))
                    .services()
                    .get(0)
                    .deployments();
            assertEquals(1, after.size());
            assertEquals("COMPLETED", after.get(0).rolloutStateAsString());
            assertEquals(3, after.get(0).runningCount());
        }
    }

    @Test
    void aTaskDefinitionTaggedToFailRollsOutAsTheCircuitBreakerReportsIt() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "ecs-breaker");
        String broken = fixture.registerFailingRelease(stack, "v42-broken");
        try (EcsClient ecs = stack.ecs()) {
            ecs.updateService(update -> update.cluster(fixture.cluster())
                    .service(fixture.greenService())
                    .taskDefinition(broken)
                    .desiredCount(2));
            Thread.sleep(3_000);
            List<Deployment> after = ecs.describeServices(
                            d -> d.cluster(fixture.cluster()).services(fixture.greenService()))
                    .services()
                    .get(0)
                    .deployments();
            assertEquals("PRIMARY", after.get(0).status());
            assertEquals("FAILED", after.get(0).rolloutStateAsString());
            assertEquals(
                    "ECS deployment circuit breaker: tasks failed to start.",
                    after.get(0).rolloutStateReason());
            assertEquals(2, after.get(0).failedTasks());
            assertEquals(0, after.get(0).runningCount());
            assertEquals("ACTIVE", after.get(1).status(), "the previous deployment keeps its tasks");
        }
    }

    @Test
    void anEarlierRolloutCompletingLateLeavesTheLaterOneInCharge() throws Exception {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "ecs-overlap");
        try (EcsClient ecs = stack.ecs()) {
            ecs.updateService(update -> update.cluster(fixture.cluster())
                    .service(fixture.greenService())
                    .desiredCount(0));
            Thread.sleep(1_000);
            ecs.updateService(update -> update.cluster(fixture.cluster())
                    .service(fixture.greenService())
                    .taskDefinition(fixture.releaseTaskDefinition())
                    .desiredCount(2));
            Thread.sleep(3_000);
            List<Deployment> after = ecs.describeServices(
                            d -> d.cluster(fixture.cluster()).services(fixture.greenService()))
                    .services()
                    .get(0)
                    .deployments();
            assertEquals(1, after.size());
            assertEquals(fixture.releaseTaskDefinition(), after.get(0).taskDefinition());
            assertEquals("COMPLETED", after.get(0).rolloutStateAsString());
        }
    }

    @Test
    void getMetricDataMatchesDimensionsInAnyOrder() {
        Instant periodStart = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 60 * 60 - 600);
        List<Dimension> put = List.of(
                Dimension.builder().name("Resource").value("fn:live").build(),
                Dimension.builder().name("ExecutedVersion").value("7").build(),
                Dimension.builder().name("FunctionName").value("fn").build());
        List<Dimension> queried = List.of(put.get(2), put.get(1), put.get(0));
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            cloudWatch.putMetricData(data -> data.namespace("AWS/Lambda")
                    .metricData(MetricDatum.builder()
                            .metricName("Invocations")
                            .dimensions(put)
                            .timestamp(periodStart.plusSeconds(1))
                            .value(42.0)
                            .build()));
            GetMetricDataResponse response = cloudWatch.getMetricData(get -> get.startTime(periodStart)
                    .endTime(periodStart.plusSeconds(60))
                    .metricDataQueries(MetricDataQuery.builder()
                            .id("invocations")
                            .metricStat(stat -> stat.period(60)
                                    .stat("Sum")
                                    .metric(metric -> metric.namespace("AWS/Lambda")
                                            .metricName("Invocations")
                                            .dimensions(queried)))
                            .build()));
            assertEquals(List.of(42.0), result(response, "invocations").values());
        }
    }

    /** A metric is its namespace, name and whole set of dimensions, as CloudWatch identifies it; moto 5.2.1 ignored the namespace. */
    @Test
    void getMetricDataFindsAMetricByItsNamespaceNameAndWholeDimensionSet() {
        Instant periodStart = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 60 * 60 - 600);
        Dimension service =
                Dimension.builder().name("Service").value("identity-probe").build();
        Dimension version = Dimension.builder().name("Version").value("v2").build();
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            cloudWatch.putMetricData(data -> data.namespace("Probe/One")
                    .metricData(MetricDatum.builder()
                            .metricName("Requests")
                            .dimensions(service, version)
                            .timestamp(periodStart.plusSeconds(1))
                            .value(5.0)
                            .build()));
            cloudWatch.putMetricData(data -> data.namespace("Probe/Two")
                    .metricData(MetricDatum.builder()
                            .metricName("Requests")
                            .dimensions(service, version)
                            .timestamp(periodStart.plusSeconds(2))
                            .value(7.0)
                            .build()));
            GetMetricDataResponse response = cloudWatch.getMetricData(get -> get.startTime(periodStart)
                    .endTime(periodStart.plusSeconds(60))
                    .metricDataQueries(
                            requestsSum("one", "Probe/One", service, version),
                                    requestsSum("two", "Probe/Two", service, version),
                            requestsSum("elsewhere", "Probe/Three", service, version),
                                    requestsSum("fewer", "Probe/One", service)));
            assertEquals(List.of(5.0), result(response, "one").values());
            assertEquals(List.of(7.0), result(response, "two").values());
            assertEquals(List.of(), result(response, "elsewhere").values(), "no metric of that namespace");
            assertEquals(List.of(), result(response, "fewer").values(), "a subset of the dimensions is another metric");
        }
    }

    private static MetricDataQuery requestsSum(String id, String namespace, Dimension... dimensions) {
        return MetricDataQuery.builder()
                .id(id)
                .metricStat(stat -> stat.period(60)
                        .stat("Sum")
                        .metric(metric -> metric.namespace(namespace)
                                .metricName("Requests")
                                .dimensions(dimensions)))
                .build();
    }

    private static String appSpec(LambdaAliasFixture function, String target, String... hooks) {
        StringBuilder hookList = new StringBuilder();
        for (String event : hooks) {
            hookList.append(hookList.length() == 0 ? "" : ",")
                    .append("{\"")
                    .append(event)
                    .append("\":\"")
                    .append(LocalStack.functionArn("CodeDeployHookFunction"))
                    .append("\"}");
        }
        return "{\"version\":0.0,\"Resources\":[{\"f\":{\"Type\":\"AWS::Lambda::Function\",\"Properties\":{\"Name\":\""
                + function.functionName() + "\",\"Alias\":\"live\",\"CurrentVersion\":\"1\",\"TargetVersion\":\""
                + target
                + "\"}}}],\"Hooks\":[" + hookList + "]}";
    }

    private static String codeDeployment(CodeDeployFixture fixture, String config, String description, String appSpec) {
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            return codeDeploy
                    .createDeployment(create -> create.applicationName(fixture.application())
                            .deploymentGroupName(fixture.deploymentGroup())
                            .deploymentConfigName(config)
                            .description(description)
                            .autoRollbackConfiguration(rollback -> rollback.enabled(true)
                                    .events(
                                            AutoRollbackEvent.DEPLOYMENT_FAILURE,
                                            AutoRollbackEvent.DEPLOYMENT_STOP_ON_REQUEST))
                            .revision(revision -> revision.revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                                    .appSpecContent(content -> content.content(appSpec))))
                    .deploymentId();
        }
    }

    private static DeploymentInfo awaitEnded(String deploymentId) throws InterruptedException {
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            // Hooks run Tollgate's hook function, which may start cold: allow a minute.
            for (int attempt = 0; attempt < 240; attempt++) {
                DeploymentInfo info = codeDeploy
                        .getDeployment(get -> get.deploymentId(deploymentId))
                        .deploymentInfo();
                if (Set.of("Succeeded", "Failed", "Stopped").contains(info.statusAsString())) {
                    return info;
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("deployment " + deploymentId + " did not end");
    }

    @Test
    void invokingAPythonFunctionRunsItsHandlerAndAnswersAsLambdaDoes() {
        String source = "def handler(event, context):\n"
                + "    if event.get('fail'):\n        raise ValueError('asked to fail')\n"
                + "    if event.get('sleep'):\n        import time\n        time.sleep(event['sleep'])\n"
                + "    return {'statusCode': 200, 'echo': event.get('name')}\n";
        String function = LambdaAliasFixture.createPythonFunction(stack, "moto-python-invoke", source, 1);
        try (LambdaClient lambda = stack.lambda()) {
            var answered = lambda.invoke(
                    invoke -> invoke.functionName(function).payload(SdkBytes.fromUtf8String("{\"name\": \"probe\"}")));
            assertNull(answered.functionError());
            assertEquals(
                    "{\"statusCode\": 200, \"echo\": \"probe\"}",
                    answered.payload().asUtf8String());

            var failed = lambda.invoke(
                    invoke -> invoke.functionName(function).payload(SdkBytes.fromUtf8String("{\"fail\": true}")));
            assertEquals("Unhandled", failed.functionError());
            assertEquals(
                    "{\"errorType\": \"ValueError\", \"errorMessage\": \"asked to fail\"}",
                    failed.payload().asUtf8String());

            var timedOut = lambda.invoke(
                    invoke -> invoke.functionName(function).payload(SdkBytes.fromUtf8String("{\"sleep\": 3}")));
            assertEquals("Unhandled", timedOut.functionError());
            assertTrue(
                    timedOut.payload().asUtf8String().contains("Task timed out after 1.00 seconds"),
                    timedOut.payload().asUtf8String());
        }
    }

    @Test
    void aLoadBalancerTaggedWithADnsNameReportsIt() {
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "elb-dns");
        String testListener = fixture.addTestListener(stack, 18_443);
        try (ElasticLoadBalancingV2Client elb = stack.elb()) {
            var listener = elb.describeListeners(describe -> describe.listenerArns(testListener))
                    .listeners()
                    .get(0);
            var loadBalancer = elb.describeLoadBalancers(
                            describe -> describe.loadBalancerArns(listener.loadBalancerArn()))
                    .loadBalancers()
                    .get(0);
            assertEquals("127.0.0.1", loadBalancer.dnsName());
            assertEquals(18_443, listener.port());
        }
    }

    private static String publishRelease(LambdaAliasFixture function) {
        try (LambdaClient lambda = stack.lambda()) {
            return lambda.publishVersion(publish -> publish.functionName(function.functionName()))
                    .version();
        }
    }

    @Test
    void aCodeDeployDeploymentRunsItsHooksShiftsTheAliasAndSucceeds() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-lifecycle");
        String release = publishRelease(fixture.function());

        String id = codeDeployment(
                fixture,
                "CodeDeployDefault.LambdaAllAtOnce",
                "not Tollgate's",
                appSpec(fixture.function(), release, "BeforeAllowTraffic", "AfterAllowTraffic"));
        DeploymentInfo ended = awaitEnded(id);

        assertEquals("Succeeded", ended.statusAsString(), "both hooks answered Succeeded by the hook function");
        assertTrue(ended.createTime() != null && ended.completeTime() != null, "timestamps the SDK can read");
        assertEquals(release, LocalTargets.alias(stack, fixture.function()).functionVersion());
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            List<String> targets = codeDeploy
                    .listDeploymentTargets(list -> list.deploymentId(id))
                    .targetIds();
            var target = codeDeploy
                    .batchGetDeploymentTargets(get -> get.deploymentId(id).targetIds(targets))
                    .deploymentTargets()
                    .get(0)
                    .lambdaTarget();
            assertEquals(
                    List.of("BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic"),
                    target.lifecycleEvents().stream()
                            .map(event -> event.lifecycleEventName())
                            .toList());
            assertTrue(target.lifecycleEvents().stream().allMatch(event -> "Succeeded".equals(event.statusAsString())));
            assertEquals(100.0, target.lambdaFunctionInfo().targetVersionWeight());
        }
    }

    @Test
    void aFailedHookFailsTheDeploymentAndRollsItBack() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-hook-fails");
        String release = publishRelease(fixture.function());

        // The hook function finds no Tollgate record for this deployment id, so it answers Failed.
        String id = codeDeployment(
                fixture,
                "CodeDeployDefault.LambdaAllAtOnce",
                "Tollgate deployment no-such-deployment",
                appSpec(fixture.function(), release, "AfterAllowTraffic"));
        DeploymentInfo ended = awaitEnded(id);

        assertEquals("Failed", ended.statusAsString());
        assertEquals("HOOK_EXECUTION_FAILURE", ended.errorInformation().codeAsString());
        assertNotNull(ended.rollbackInfo().rollbackDeploymentId());
        assertEquals(
                "1",
                LocalTargets.alias(stack, fixture.function()).functionVersion(),
                "rolled back to the original version");
    }

    @Test
    void stopDeploymentStopsACanaryAndRollsTrafficBack() throws Exception {
        CodeDeployFixture fixture = CodeDeployFixture.create(stack, "cd-stop");
        String release = publishRelease(fixture.function());
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            codeDeploy.createDeploymentConfig(create -> create.deploymentConfigName("probe-canary-20")
                    .computePlatform("Lambda")
                    .trafficRoutingConfig(routing -> routing.type(TrafficRoutingType.TIME_BASED_CANARY)
                            .timeBasedCanary(
                                    canary -> canary.canaryPercentage(20).canaryInterval(5))));
            assertEquals(
                    20,
                    codeDeploy
                            .getDeploymentConfig(get -> get.deploymentConfigName("probe-canary-20"))
                            .deploymentConfigInfo()
                            .trafficRoutingConfig()
                            .timeBasedCanary()
                            .canaryPercentage());
            assertThrows(
                    DeploymentConfigAlreadyExistsException.class,
                    () -> codeDeploy.createDeploymentConfig(create ->
                            create.deploymentConfigName("probe-canary-20").computePlatform("Lambda")));

            String id = codeDeployment(fixture, "probe-canary-20", null, appSpec(fixture.function(), release));
            Thread.sleep(1_000);
            assertEquals(
                    Map.of(release, 0.2),
                    LocalTargets.alias(stack, fixture.function())
                            .routingConfig()
                            .additionalVersionWeights());

            codeDeploy.stopDeployment(stop -> stop.deploymentId(id).autoRollbackEnabled(true));
            DeploymentInfo stopped =
                    codeDeploy.getDeployment(get -> get.deploymentId(id)).deploymentInfo();

            assertEquals("Stopped", stopped.statusAsString());
            assertEquals(
                    "codeDeployRollback",
                    codeDeploy
                            .getDeployment(get ->
                                    get.deploymentId(stopped.rollbackInfo().rollbackDeploymentId()))
                            .deploymentInfo()
                            .creatorAsString());
            assertEquals("1", LocalTargets.alias(stack, fixture.function()).functionVersion());
            assertEquals(
                    Map.of(),
                    LocalTargets.alias(stack, fixture.function())
                            .routingConfig()
                            .additionalVersionWeights());
            assertThrows(
                    DeploymentAlreadyCompletedException.class,
                    () -> codeDeploy.stopDeployment(stop -> stop.deploymentId(id)));
        }
    }

    @Test
    void runsSeveralExecutionsOfOneStateMachineAtOnce() throws Exception {
        SfnClient sfn = stack.sfn();
        String waiting = sfn.createStateMachine(
                        create -> create.name("probe-concurrent")
                                .roleArn("arn:aws:iam::123456789012:role/probe")
                                .definition(
                                        "{\"StartAt\":\"Wait\",\"States\":{\"Wait\":{\"Type\":\"Wait\",\"Seconds\":2,\"End\":true}}}"))
                .stateMachineArn();
        List<String> executions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int index = i;
            executions.add(
                    sfn.startExecution(start -> start.stateMachineArn(waiting).name("probe-" + index))
                            .executionArn());
        }
        Thread.sleep(4_000);
        for (String execution : executions) {
            assertEquals(
                    ExecutionStatus.SUCCEEDED,
                    sfn.describeExecution(d -> d.executionArn(execution)).status());
        }
    }

    @Test
    void theEngineSeesAFunctionsErrorByItsClassNameAsOnLambda() throws Exception {
        SfnClient sfn = stack.sfn();
        String definition = "{\"StartAt\":\"Lock\",\"States\":{\"Lock\":{\"Type\":\"Task\",\"Resource\":\""
                + LocalStack.functionArn("DeploymentLockFunction") + "\",\"Catch\":[{\"ErrorEquals\":"
                + "[\"dev.tollgate.errors.BadRequestException\"],\"ResultPath\":\"$.caught\",\"Next\":\"Caught\"}],\"End\":true},"
                + "\"Caught\":{\"Type\":\"Pass\",\"End\":true}}}";
        String machine = sfn.createStateMachine(create -> create.name("probe-errors")
                        .roleArn("arn:aws:iam::123456789012:role/probe")
                        .definition(definition))
                .stateMachineArn();

        String execution = sfn.startExecution(
                        start -> start.stateMachineArn(machine).input("{}"))
                .executionArn();

        var result = awaitFinished(sfn, execution);
        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), String.valueOf(result.error()));
        assertTrue(result.output().contains("dev.tollgate.errors.BadRequestException"), result.output());
        assertTrue(result.output().contains("the event has no 'action'"), result.output());
    }

    @Test
    void aWaitUntilATimestampEndsAtThatSecondInUtcNeverBefore() throws Exception {
        SfnClient sfn = stack.sfn();
        String definition =
                "{\"StartAt\":\"Wait\",\"States\":{\"Wait\":{\"Type\":\"Wait\",\"TimestampPath\":\"$.until\","
                        + "\"Next\":\"Woke\"},\"Woke\":{\"Type\":\"Pass\",\"Parameters\":{\"at.$\":\"$$.State.EnteredTime\"},\"End\":true}}}";
        String machine = sfn.createStateMachine(create -> create.name("probe-wait-until")
                        .roleArn("arn:aws:iam::123456789012:role/probe")
                        .definition(definition))
                .stateMachineArn();
        // A whole second a fraction of a second away: moto 5.2.1 waited the whole seconds only and woke early.
        Instant until = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 3);

        String execution = sfn.startExecution(
                        start -> start.stateMachineArn(machine).input("{\"until\":\"" + until + "\"}"))
                .executionArn();

        var result = awaitFinished(sfn, execution);
        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), String.valueOf(result.error()));
        Instant woke = Instant.parse(Json.tree(result.output()).path("at").asText());
        assertFalse(woke.isBefore(until), "woke at " + woke + ", before " + until);
    }

    @Test
    void aTaskAttemptThatBeginsAfterItsStateTimedOutRecordsNothingMoreAndTheHistoryStaysReadable() {
        // In-process moto with the launcher's fixes, the attempt's thread held back past its state's timeout: a race on
        // a
        // busy machine that no request from here can set up. Without the fix the history answers HTTP 500 for good.
        Path module = RepositoryFiles.root().resolve("infra/local");
        ThirdPartyTools.Run probe = ThirdPartyTools.run(
                List.of(
                        ThirdPartyTools.python(),
                        module.resolve("src/test/python/timed_out_task_attempt_probe.py")
                                .toString(),
                        module.resolve("src/main/resources/dev/tollgate/local").toString()),
                null);

        assertEquals(0, probe.exitCode(), probe.output());
        assertTrue(probe.output().contains("history readable"), probe.output());
    }

    @Test
    void aTaskStartsAChildExecutionWaitsForItAndSeesItsOutcomeAsOnAws() throws Exception {
        SfnClient sfn = stack.sfn();
        String child = sfn.createStateMachine(
                        create -> create.name("probe-child")
                                .roleArn("arn:aws:iam::123456789012:role/probe")
                                .definition(
                                        "{\"StartAt\":\"Fails\",\"States\":{\"Fails\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":"
                                                + "\"$.fail\",\"BooleanEquals\":true,\"Next\":\"RolledBack\"}],\"Default\":\"Promoted\"},"
                                                + "\"Promoted\":{\"Type\":\"Pass\",\"Parameters\":{\"status\":\"PROMOTED\"},\"End\":true},"
                                                + "\"RolledBack\":{\"Type\":\"Fail\",\"Error\":\"RolledBack\",\"Cause\":\"error-rate FAIL\"}}}"))
                .stateMachineArn();
        // Each item's failure is caught, as a wave catches each target's: the Map goes on and reports both.
        String parent = sfn.createStateMachine(create -> create.name("probe-parent")
                        .roleArn("arn:aws:iam::123456789012:role/probe")
                        .definition(
                                "{\"StartAt\":\"Targets\",\"States\":{\"Targets\":{\"Type\":\"Map\",\"ItemsPath\":\"$.targets\","
                                        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"INLINE\"},\"StartAt\":\"Deploy\",\"States\":{"
                                        + "\"Deploy\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::states:startExecution.sync:2\","
                                        + "\"Parameters\":{\"StateMachineArn\":\"" + child
                                        + "\",\"Name.$\":\"$.name\",\"Input.$\":\"$.input\"},"
                                        + "\"Catch\":[{\"ErrorEquals\":[\"States.TaskFailed\"],\"Next\":\"Failed\"}],\"End\":true},"
                                        + "\"Failed\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}"))
                .stateMachineArn();

        String execution = sfn.startExecution(
                        start -> start.stateMachineArn(parent)
                                .input(
                                        "{\"targets\":["
                                                + "{\"name\":\"probe-w1-1\",\"input\":{\"fail\":false}},{\"name\":\"probe-w1-2\",\"input\":{\"fail\":true}}]}"))
                .executionArn();

        var result = awaitFinished(sfn, execution);
        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error() + ": " + result.cause());
        var outcomes = Json.tree(result.output());
        // .sync:2: DescribeExecution's fields capitalised, the child's output as JSON (not a string), the child's name.
        assertEquals("SUCCEEDED", outcomes.get(0).path("Status").asText(), result.output());
        assertEquals("PROMOTED", outcomes.get(0).path("Output").path("status").asText(), result.output());
        assertTrue(outcomes.get(0).path("ExecutionArn").asText().endsWith(":probe-child:probe-w1-1"), result.output());
        // A failed child fails the task with States.TaskFailed, its cause the child's DescribeExecution with its error
        // and cause.
        assertEquals("States.TaskFailed", outcomes.get(1).path("Error").asText(), result.output());
        var cause = Json.tree(outcomes.get(1).path("Cause").asText());
        assertEquals("FAILED", cause.path("Status").asText(), result.output());
        assertEquals("RolledBack", cause.path("Error").asText(), result.output());
        assertEquals("error-rate FAIL", cause.path("Cause").asText(), result.output());
        assertEquals(
                ExecutionStatus.FAILED,
                sfn.describeExecution(
                                d -> d.executionArn(cause.path("ExecutionArn").asText()))
                        .status());
    }

    /** The execution once it has left RUNNING, or as it is after a minute (its function may start cold). */
    private static DescribeExecutionResponse awaitFinished(SfnClient sfn, String execution)
            throws InterruptedException {
        DescribeExecutionResponse result = sfn.describeExecution(d -> d.executionArn(execution));
        for (int attempt = 0; attempt < 600 && result.status() == ExecutionStatus.RUNNING; attempt++) {
            Thread.sleep(100);
            result = sfn.describeExecution(d -> d.executionArn(execution));
        }
        return result;
    }

    @Test
    void sendTaskFailureHandsItsCauseToTheCatchAsOnAws() throws Exception {
        DynamoDeploymentStore store = new DynamoDeploymentStore(stack.dynamo(), LocalStack.TABLE_NAME);
        store.acquire("cause-probe", "cause-probe-1", "probe-execution", java.time.Instant.now());
        SfnClient sfn = stack.sfn();
        String definition = "{\"StartAt\":\"Gate\",\"States\":{\"Gate\":{\"Type\":\"Task\","
                + "\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\",\"Parameters\":{\"FunctionName\":\""
                + LocalStack.functionArn("ApprovalFunction")
                + "\",\"Payload\":{\"deploymentId\":\"cause-probe-1\",\"nextStepIndex\":1,"
                + "\"reason\":\"probe\",\"taskToken.$\":\"$$.Task.Token\"}},\"Catch\":[{\"ErrorEquals\":[\"Aborted\"],"
                + "\"ResultPath\":\"$.failure\",\"Next\":\"Caught\"}],\"End\":true},\"Caught\":{\"Type\":\"Pass\",\"End\":true}}}";
        String machine = sfn.createStateMachine(create -> create.name("probe-task-failure")
                        .roleArn("arn:aws:iam::123456789012:role/probe")
                        .definition(definition))
                .stateMachineArn();
        String execution = sfn.startExecution(
                        start -> start.stateMachineArn(machine).input("{}"))
                .executionArn();
        String parked = parkedToken(store, "cause-probe-1");

        sfn.sendTaskFailure(send -> send.taskToken(parked).error("Aborted").cause("aborted by alice: wrong build"));
        // The gate's function may still be finishing its invocation (it also puts an event on the bus): wait for the
        // Catch.
        var result = awaitFinished(sfn, execution);
        assertEquals(ExecutionStatus.SUCCEEDED, result.status());
        assertEquals(
                "aborted by alice: wrong build",
                dev.tollgate.json.Json.tree(result.output())
                        .path("failure")
                        .path("Cause")
                        .asText(),
                result.output());
    }

    /** The token the approval function parked for {@code deploymentId}; it may start cold: seconds on a busy machine. */
    private static String parkedToken(DynamoDeploymentStore store, String deploymentId) throws InterruptedException {
        String token = null;
        for (int attempt = 0; attempt < 600 && token == null; attempt++) {
            Thread.sleep(100);
            token = store.approvalToken(deploymentId).orElse(null);
        }
        assertNotNull(token, "the gate's function parked no task token within a minute");
        return token;
    }

    @Test
    void aTaskTokenIsAnsweredOnceAsOnAws() throws Exception {
        DynamoDeploymentStore store = new DynamoDeploymentStore(stack.dynamo(), LocalStack.TABLE_NAME);
        store.acquire("once-probe", "once-probe-1", "probe-execution", java.time.Instant.now());
        SfnClient sfn = stack.sfn();
        // The execution goes on after its gate (a Wait), so a second answer finds it running, as a release's would.
        String definition = "{\"StartAt\":\"Gate\",\"States\":{\"Gate\":{\"Type\":\"Task\","
                + "\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\",\"Parameters\":{\"FunctionName\":\""
                + LocalStack.functionArn("ApprovalFunction")
                + "\",\"Payload\":{\"deploymentId\":\"once-probe-1\",\"nextStepIndex\":1,"
                + "\"reason\":\"probe\",\"taskToken.$\":\"$$.Task.Token\"}},\"Next\":\"Hold\"},"
                + "\"Hold\":{\"Type\":\"Wait\",\"Seconds\":60,\"End\":true}}}";
        String machine = sfn.createStateMachine(create -> create.name("probe-token-once")
                        .roleArn("arn:aws:iam::123456789012:role/probe")
                        .definition(definition))
                .stateMachineArn();
        String execution = sfn.startExecution(
                        start -> start.stateMachineArn(machine).input("{}"))
                .executionArn();
        String parked = parkedToken(store, "once-probe-1");

        sfn.sendTaskSuccess(send -> send.taskToken(parked).output("{\"action\":\"APPROVE\"}"));

        // A second answer is too late (TaskTimedOut), rather than accepted and dropped.
        assertThrows(
                software.amazon.awssdk.services.sfn.model.TaskTimedOutException.class,
                () -> sfn.sendTaskFailure(
                        send -> send.taskToken(parked).error("RolledBack").cause("too late")));
        assertThrows(
                software.amazon.awssdk.services.sfn.model.TaskTimedOutException.class,
                () -> sfn.sendTaskSuccess(send -> send.taskToken(parked).output("{}")));
        assertEquals(
                ExecutionStatus.RUNNING,
                sfn.describeExecution(describe -> describe.executionArn(execution))
                        .status(),
                "the first answer stands: the execution waits in Hold");
        sfn.stopExecution(stop -> stop.executionArn(execution));
    }

    @Test
    void codePipelineJobsTakeOneAnswerAsTheApiReferenceSays() {
        LocalCodePipeline pipeline = new LocalCodePipeline(stack);
        String jobId = pipeline.createJob(LocalCodePipeline.jobData("{}", null));
        try (CodePipelineClient codePipeline = stack.clients().build(CodePipelineClient.builder())) {
            assertEquals(
                    jobId,
                    codePipeline
                            .getJobDetails(get -> get.jobId(jobId))
                            .jobDetails()
                            .id());
            assertThrows(
                    ValidationException.class,
                    () -> codePipeline.putJobSuccessResult(put -> put.jobId(jobId)
                            .continuationToken("t")
                            .outputVariables(java.util.Map.of("outcome", "PROMOTED"))),
                    "outputVariables only without a continuation token");
            assertThrows(
                    ValidationException.class,
                    () -> codePipeline.putJobFailureResult(put -> put.jobId(jobId)
                            .failureDetails(details -> details.type("JobFailed").message(""))),
                    "a failure needs a message");

            codePipeline.putJobSuccessResult(put -> put.jobId(jobId)
                    .continuationToken("token-1")
                    .executionDetails(details ->
                            details.summary("step 1/3 at 10 %: healthy").percentComplete(33)));

            assertThrows(
                    InvalidJobStateException.class,
                    () -> codePipeline.putJobFailureResult(put -> put.jobId(jobId)
                            .failureDetails(details -> details.type("JobFailed").message("late"))),
                    "a job takes one answer");
            assertThrows(
                    JobNotFoundException.class,
                    () -> codePipeline.putJobSuccessResult(put -> put.jobId("no-such-job")));
        }
        LocalCodePipeline.JobRecord record = pipeline.job(jobId);
        assertEquals("Succeeded", record.status());
        assertEquals("token-1", record.accepted().path("continuationToken").asText());
        assertEquals(
                "step 1/3 at 10 %: healthy",
                record.accepted().path("executionDetails").path("summary").asText());
        assertEquals(2, record.answers().size(), "the refused answer is recorded too: " + record.answers());
    }
}
