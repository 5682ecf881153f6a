package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deployment.DynamoDeploymentStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Deployments while AWS misbehaves: every call the functions make goes through the fault proxy.
 * Each plan gets its own local stack; a good and a bad release run on it side by side and must
 * still reach their right outcomes, with the lock released.
 */
@Execution(ExecutionMode.CONCURRENT)
class FaultInjectionIT {

    private static void deploysCorrectlyUnder(String faults, String servicePrefix) throws Exception {
        try (LocalStack stack = LocalStack.start(
                Path.of("target", "local-stack-faults-" + servicePrefix), FaultPlan.parse(faults), 11)) {
            CompletableFuture<ScenarioRun.Result> good =
                    CompletableFuture.supplyAsync(() -> run(stack, Scenario.GOOD, servicePrefix + "-good"));
            CompletableFuture<ScenarioRun.Result> bad =
                    CompletableFuture.supplyAsync(() -> run(stack, Scenario.BAD_ERRORS, servicePrefix + "-bad"));

            assertEquals(
                    "PROMOTED",
                    good.get().outcome().status(),
                    good.get().outcome().toString());
            assertEquals(
                    "ROLLED_BACK",
                    bad.get().outcome().status(),
                    bad.get().outcome().toString());
            DynamoDeploymentStore store =
                    new DynamoDeploymentStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
            assertTrue(store.lockHolder(servicePrefix + "-good").isEmpty());
            assertTrue(store.lockHolder(servicePrefix + "-bad").isEmpty());
            Map<String, Long> counts = stack.faults().orElseThrow().counts();
            System.out.println("fault matrix for " + faults + ": " + counts);
            long injected = counts.entrySet().stream()
                    .filter(entry -> !entry.getKey().endsWith(":forwarded"))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            assertTrue(injected > 0, "faults were injected: " + counts);
        }
    }

    private static ScenarioRun.Result run(LocalStack stack, Scenario scenario, String service) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            ScenarioRun.Result result = new ScenarioRun(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
                    .run(scenario, service, 5);
            System.out.println(printed.toString(StandardCharsets.UTF_8));
            return result;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void throttlingAndServerErrorsOnEveryApi() throws Exception {
        deploysCorrectlyUnder("throttle=0.2,server=0.05", "faults-a");
    }

    @Test
    void droppedConnectionsLostAnswersAndSlowAnswers() throws Exception {
        deploysCorrectlyUnder("reset=0.1,lost=0.1,slow=0.1@1500", "faults-b");
    }
}
