package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.json.Json;
import dev.tollgate.traffic.TrafficWeights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Whole deployments of targets away from Tollgate (docs/spec.md, "Another region or account"): the target, its metrics,
 * its alarm and its database secret in another region, and in another account reached through a role; Tollgate's
 * record, lock and execution at home. The functions act there with the role they assume themselves, and nothing of
 * the target's is made or touched at home. Each place has its own lock: the same service deploys at home and elsewhere
 * at once.
 */
@Execution(ExecutionMode.CONCURRENT)
class PlacedDeploymentIT {

    /** An account of moto's other than the local stack's own. */
    static final String TARGET_ACCOUNT = "210987654321";

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    private static ScenarioRun.Result run(Scenario scenario, DemoTarget target, String service, Placement placement)
            throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ScenarioRun.Result result = new ScenarioRun(
                        stack, new PrintStream(printed, true, StandardCharsets.UTF_8), placement)
                .run(scenario, target, service, 11);
        System.out.println(printed.toString(StandardCharsets.UTF_8));
        return result;
    }

    private static DynamoDeploymentStore store() {
        return new DynamoDeploymentStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
    }

    @Test
    void promotesALambdaReleaseInAnotherRegionAndAccountThroughTheRoleItsSpecNames() throws Exception {
        Placement oregon = Placement.of("us-west-2", TARGET_ACCOUNT, "oregon");

        ScenarioRun.Result result = run(Scenario.GOOD, DemoTarget.LAMBDA_ALIAS, "placed-lambda", oregon);

        assertEquals("PROMOTED", result.outcome().status(), result.outcome().toString());
        LambdaAliasFixture function = result.lambdaAliasFixture();
        GetAliasResponse alias = LocalTargets.alias(stack.at(oregon), function);
        assertEquals(
                "2",
                alias.functionVersion(),
                "the alias in us-west-2 of " + TARGET_ACCOUNT + " serves the version Tollgate published");
        assertTrue(alias.routingConfig() == null
                || alias.routingConfig().additionalVersionWeights().isEmpty());
        try (LambdaClient home = stack.lambda()) {
            assertThrows(
                    ResourceNotFoundException.class,
                    () -> home.getFunction(get -> get.functionName(function.functionName())),
                    "nothing of the target's is made at home");
        }
        DeploymentRecord record = store().find(result.outcome().deploymentId()).orElseThrow();
        assertEquals(DeploymentStatus.PROMOTED, record.status(), "recorded at home");
        assertEquals(
                "placed-lambda@us-west-2/" + TARGET_ACCOUNT,
                record.service(),
                "the service's lock names where it runs");
        assertTrue(
                store().lockHolder("placed-lambda@us-west-2/" + TARGET_ACCOUNT).isEmpty(),
                "the lock, at home, is released");
        JsonNode pinned = stateOutput(result.executionArn(), "FetchSecrets");
        assertTrue(
                pinned.toString().contains("arn:aws:secretsmanager:us-west-2:" + TARGET_ACCOUNT + ":secret:"),
                "the release's secret is pinned where its target runs: " + pinned);
    }

    @Test
    void rollsBackABadEcsReleaseInAnotherRegionOfTollgatesOwnAccountThroughARoleThere() throws Exception {
        Placement ireland = Placement.of("eu-west-1", LocalStack.ACCOUNT, "ireland");

        ScenarioRun.Result result = run(Scenario.BAD_ERRORS, DemoTarget.ECS_ALB, "placed-ecs", ireland);

        assertEquals("ROLLED_BACK", result.outcome().status(), result.outcome().toString());
        assertTrue(
                result.outcome().reason().contains("error-rate: regression"),
                "judged on the metrics published in eu-west-1: "
                        + result.outcome().reason());
        EcsAlbFixture fixture = result.ecsAlbFixture();
        assertEquals(TrafficWeights.canaryAt(0), LocalTargets.greenWeights(stack.at(ireland), fixture));
        assertEquals(
                0,
                LocalTargets.service(stack.at(ireland), fixture, fixture.greenService())
                        .desiredCount(),
                "the canary is stopped");
        try (EcsClient home = stack.ecs()) {
            assertTrue(
                    home.describeClusters(describe -> describe.clusters(fixture.cluster()))
                            .clusters()
                            .isEmpty(),
                    "nothing of the target's is made at home");
        }
        assertTrue(store().lockHolder("placed-ecs@eu-west-1").isEmpty(), "the lock, at home, is released");
    }

    @Test
    void deploysTheSameServiceAtHomeAndInAnotherRegionAtOnceEachUnderItsOwnLock() throws Exception {
        Placement ireland = Placement.of("eu-west-1", LocalStack.ACCOUNT, "ireland");
        CompletableFuture<ScenarioRun.Result> elsewhere = CompletableFuture.supplyAsync(() -> {
            try {
                return run(Scenario.GOOD, DemoTarget.LAMBDA_ALIAS, "placed-twin", ireland);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
        });
        ScenarioRun.Result home = run(Scenario.GOOD, DemoTarget.LAMBDA_ALIAS, "placed-twin", null);

        assertEquals("PROMOTED", home.outcome().status(), "at home: " + home.outcome());
        assertEquals(
                "PROMOTED",
                elsewhere.get().outcome().status(),
                "in eu-west-1: " + elsewhere.get().outcome());
        assertEquals("2", LocalTargets.alias(stack, home.lambdaAliasFixture()).functionVersion());
        assertEquals(
                "2",
                LocalTargets.alias(stack.at(ireland), elsewhere.get().lambdaAliasFixture())
                        .functionVersion());
        assertEquals(
                "placed-twin",
                store().find(home.outcome().deploymentId()).orElseThrow().service());
        assertEquals(
                "placed-twin@eu-west-1",
                store().find(elsewhere.get().outcome().deploymentId())
                        .orElseThrow()
                        .service());
    }

    /** The output of the execution's last {@code state} to exit, as the state machine passed it on. */
    private static JsonNode stateOutput(String executionArn, String state) {
        JsonNode output = null;
        for (HistoryEvent event : stack.sfn()
                .getExecutionHistoryPaginator(history -> history.executionArn(executionArn))
                .events()) {
            if (event.stateExitedEventDetails() != null
                    && state.equals(event.stateExitedEventDetails().name())) {
                output = Json.tree(event.stateExitedEventDetails().output());
            }
        }
        assertTrue(output != null, "the execution passed through " + state);
        return output;
    }
}
