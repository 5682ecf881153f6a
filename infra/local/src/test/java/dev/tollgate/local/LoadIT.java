package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deployment.DynamoDeploymentStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Twenty deployments of twenty services at once, half good and half bad, on one local stack of their own. */
class LoadIT {

    private static final int SERVICES = 20;

    @Test
    void twentyConcurrentDeploymentsAllReachTheirRightOutcome() throws Exception {
        try (LocalStack stack = LocalStack.start(Path.of("target", "local-stack-load"))) {
            ExecutorService pool = Executors.newFixedThreadPool(SERVICES);
            Instant began = Instant.now();
            List<Future<ScenarioRun.Result>> runs = new ArrayList<>();
            List<Scenario> scenarios = new ArrayList<>();
            for (int i = 0; i < SERVICES; i++) {
                Scenario scenario = i % 2 == 0 ? Scenario.GOOD : Scenario.BAD_ERRORS;
                scenarios.add(scenario);
                String service = "load-" + i;
                long seed = 100 + i;
                runs.add(pool.submit(() -> new ScenarioRun(
                                stack, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                        .run(scenario, DemoTarget.ECS_ALB, service, seed, spec -> spec, ScenarioRun.FOLLOW_FOR)));
            }
            List<String> wrong = new ArrayList<>();
            List<Long> seconds = new ArrayList<>();
            for (int i = 0; i < SERVICES; i++) {
                ScenarioRun.Result result = runs.get(i).get();
                seconds.add(result.wallTime().toSeconds());
                if (!result.outcome()
                        .status()
                        .equals(scenarios.get(i).expected().name())) {
                    wrong.add(result.outcome().toString());
                }
            }
            pool.shutdown();
            Duration total = Duration.between(began, Instant.now());
            seconds.sort(Long::compare);
            System.out.println("load: " + SERVICES + " deployments in " + total.toSeconds()
                    + " s; per deployment (s): min " + seconds.get(0) + ", median " + seconds.get(SERVICES / 2)
                    + ", max " + seconds.get(SERVICES - 1));
            var runtime = stack.lambdaEndpoint().statistics();
            System.out.println("load: function JVMs " + runtime.started() + " started, at most "
                    + runtime.peakEnvironments() + " at once, " + runtime.peakResidentMemoryMb() + " MB resident then");

            assertEquals(List.of(), wrong, "every deployment reaches the outcome its scenario expects");
            DynamoDeploymentStore store =
                    new DynamoDeploymentStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
            for (int i = 0; i < SERVICES; i++) {
                assertTrue(store.lockHolder("load-" + i).isEmpty(), "lock of load-" + i + " released");
            }
        }
    }
}
