package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.deployment.LockHolder;
import dev.tollgate.errors.UnexpectedFailureException;
import dev.tollgate.traffic.TrafficWeights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Every Task state in turn fails for good (and, separately, times out on every attempt). Whatever
 * fails, the deployment must end with all traffic on one side (the old one unless the new one was
 * already promoted), the lock released, and the record saying what failed and where; a failed
 * rollback ends as MANUAL_INTERVENTION_REQUIRED with the state it found, the lock kept.
 */
@Execution(ExecutionMode.CONCURRENT)
class CrashIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    /** How a crash must end. */
    enum Expected {
        /** Refused before the lock: nothing recorded, nothing locked, nothing moved. */
        NOTHING_CHANGED,
        /** Rolled back by the failure path: 100 % old, record FAILED naming the state, lock released. */
        FAILED_ROLLED_BACK,
        /** Promoted, but the lock could not be released: it stays held by a finished execution. */
        PROMOTED_LOCK_HELD,
        /** Rolled back, but the lock could not be released. */
        ROLLED_BACK_LOCK_HELD,
        /** Rollback itself failed: record MANUAL_INTERVENTION_REQUIRED with the target's state, lock held. */
        MANUAL_INTERVENTION,
        /** A dry run ended (nothing deployed, record DRY_RUN), but the lock could not be released. */
        DRY_RUN_LOCK_HELD
    }

    /**
     * What the demo spec of a case has on top: nothing, an approval gate after the first step, a
     * migration dry run, a rollback window that stays open (10 minutes) or closes at once (2 s), a smoke
     * test (its function crashes before it uses the test listener, so any listener of the account will do), or a
     * post-promotion watch (10 minutes).
     */
    enum Variant {
        PLAIN,
        APPROVAL_GATE,
        DRY_RUN,
        ROLLBACK_WINDOW_OPEN,
        ROLLBACK_WINDOW_CLOSING,
        SMOKE_TEST,
        WATCH
    }

    static Stream<Arguments> crashes() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (boolean timeout : new boolean[] {false, true}) {
            String how = timeout ? "times out" : "fails";
            cases.add(Arguments.of(
                    "ValidateRequest",
                    how,
                    "ValidateRequestFunction",
                    null,
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.NOTHING_CHANGED));
            cases.add(Arguments.of(
                    "AcquireLock",
                    how,
                    "DeploymentLockFunction",
                    "ACQUIRE",
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.NOTHING_CHANGED));
            cases.add(Arguments.of(
                    "CheckErrorBudget",
                    how,
                    "CheckErrorBudgetFunction",
                    null,
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "FetchSecrets",
                    how,
                    "FetchSecretsFunction",
                    null,
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "RunMigrations",
                    how,
                    "RunMigrationsFunction",
                    null,
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "DeployCanary",
                    how,
                    "DeployCanaryFunction",
                    "DEPLOY",
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "CheckCanaryHealth",
                    how,
                    "DeployCanaryFunction",
                    "CHECK_HEALTH",
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "SmokeTestCanary",
                    how,
                    "DeployCanaryFunction",
                    "SMOKE_TEST",
                    Scenario.GOOD,
                    Variant.SMOKE_TEST,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "ShiftTraffic",
                    how,
                    "ShiftTrafficFunction",
                    null,
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "Decide",
                    how,
                    "DecideFunction",
                    null,
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "AwaitApproval",
                    how,
                    "ApprovalFunction",
                    null,
                    Scenario.GOOD,
                    Variant.APPROVAL_GATE,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "Promote",
                    how,
                    "FinalizeFunction",
                    "PROMOTE",
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            // After the promotion, with the old version still able to serve: a failure rolls back to it.
            // "watch": the Decide function's watch ticks, told from its step ticks by the event's watch field.
            cases.add(Arguments.of(
                    "WatchAfterPromotion",
                    how,
                    "DecideFunction",
                    "watch",
                    Scenario.GOOD,
                    Variant.WATCH,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "KeepRollbackWindowOpen",
                    how,
                    "ApprovalFunction",
                    null,
                    Scenario.GOOD,
                    Variant.ROLLBACK_WINDOW_OPEN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "CloseRollbackWindow",
                    how,
                    "FinalizeFunction",
                    "CLOSE_ROLLBACK_WINDOW",
                    Scenario.GOOD,
                    Variant.ROLLBACK_WINDOW_CLOSING,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "ReleaseLockAfterPromotion",
                    how,
                    "DeploymentLockFunction",
                    "RELEASE",
                    Scenario.GOOD,
                    Variant.PLAIN,
                    timeout,
                    Expected.PROMOTED_LOCK_HELD));
            cases.add(Arguments.of(
                    "RollBack",
                    how,
                    "FinalizeFunction",
                    "ROLLBACK",
                    Scenario.BAD_ERRORS,
                    Variant.PLAIN,
                    timeout,
                    Expected.MANUAL_INTERVENTION));
            cases.add(Arguments.of(
                    "ReleaseLockAfterRollback",
                    how,
                    "DeploymentLockFunction",
                    "RELEASE",
                    Scenario.BAD_ERRORS,
                    Variant.PLAIN,
                    timeout,
                    Expected.ROLLED_BACK_LOCK_HELD));
            cases.add(Arguments.of(
                    "RecordDryRun",
                    how,
                    "FinalizeFunction",
                    "DRY_RUN",
                    Scenario.GOOD,
                    Variant.DRY_RUN,
                    timeout,
                    Expected.FAILED_ROLLED_BACK));
            cases.add(Arguments.of(
                    "ReleaseLockAfterDryRun",
                    how,
                    "DeploymentLockFunction",
                    "RELEASE",
                    Scenario.GOOD,
                    Variant.DRY_RUN,
                    timeout,
                    Expected.DRY_RUN_LOCK_HELD));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("crashes")
    void endsInAKnownSafeState(
            String state,
            String how,
            String function,
            String action,
            Scenario scenario,
            Variant variant,
            boolean timeout,
            Expected expected)
            throws Exception {
        // Target group names are at most 32 characters, so the service name stays short.
        String service = "c" + Integer.toHexString(state.hashCode() & 0xfffff) + (timeout ? "t" : "f");
        Predicate<JsonNode> thisState = event -> mentions(event, service)
                && (action == null || action.equals(event.path("action").asText()) || event.has(action));
        if (timeout) {
            stack.lambdaEndpoint().timeOutNext(function, thisState, 1_000);
        } else {
            stack.lambdaEndpoint()
                    .failNext(
                            function,
                            thisState,
                            1_000,
                            () -> new UnexpectedFailureException("injected crash of " + state));
        }

        ScenarioRun.Result result = run(scenario, service, variant);

        DynamoDeploymentStore store =
                new DynamoDeploymentStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
        Optional<DeploymentRecord> record = store.find(result.outcome().deploymentId());
        Optional<LockHolder> lock = store.lockHolder(service);
        TrafficWeights weights = weights(result.ecsAlbFixture());
        String context = state + " " + how + ": " + result.outcome() + " / record "
                + record.map(DeploymentRecord::reason).orElse("none");
        switch (expected) {
            case NOTHING_CHANGED -> {
                assertEquals("FAILED", result.outcome().status(), context);
                assertTrue(lock.isEmpty(), context);
                assertEquals(TrafficWeights.canaryAt(0), weights, context);
                record.ifPresent(found -> assertTrue(found.status().finished(), context));
            }
            case FAILED_ROLLED_BACK -> {
                assertEquals("FAILED", result.outcome().status(), context);
                assertEquals(TrafficWeights.canaryAt(0), weights, context);
                assertTrue(lock.isEmpty(), context);
                assertEquals(DeploymentStatus.FAILED, record.orElseThrow().status(), context);
                assertTrue(record.get().reason().startsWith("failed in " + state + " with "), context);
                assertEquals(0, greenDesiredCount(result.ecsAlbFixture()), "the canary is stopped: " + context);
            }
            case PROMOTED_LOCK_HELD -> {
                assertEquals(TrafficWeights.canaryAt(100), weights, context);
                assertEquals(DeploymentStatus.PROMOTED, record.orElseThrow().status(), context);
                assertEquals(result.outcome().deploymentId(), lock.orElseThrow().deploymentId(), context);
            }
            case ROLLED_BACK_LOCK_HELD -> {
                assertEquals(TrafficWeights.canaryAt(0), weights, context);
                assertEquals(DeploymentStatus.ROLLED_BACK, record.orElseThrow().status(), context);
                assertEquals(result.outcome().deploymentId(), lock.orElseThrow().deploymentId(), context);
            }
            case DRY_RUN_LOCK_HELD -> {
                assertEquals(TrafficWeights.canaryAt(0), weights, context);
                assertEquals(DeploymentStatus.DRY_RUN, record.orElseThrow().status(), context);
                assertEquals(result.outcome().deploymentId(), lock.orElseThrow().deploymentId(), context);
                assertEquals(
                        result.ecsAlbFixture().liveTaskDefinition(),
                        LocalTargets.service(
                                        stack,
                                        result.ecsAlbFixture(),
                                        result.ecsAlbFixture().greenService())
                                .taskDefinition(),
                        "nothing deployed: " + context);
            }
            case MANUAL_INTERVENTION -> {
                assertEquals(
                        DeploymentStatus.MANUAL_INTERVENTION_REQUIRED,
                        record.orElseThrow().status(),
                        context);
                assertTrue(record.get().reason().contains("target found at baseline 90 % / canary 10 %"), context);
                assertEquals(result.outcome().deploymentId(), lock.orElseThrow().deploymentId(), context);
                assertFalse(weights.canaryPercent() == 0 && weights.baselinePercent() == 0, context);
            }
        }
    }

    private static boolean mentions(JsonNode event, String service) {
        return service.equals(event.path("service").asText())
                || service.equals(event.path("spec").path("service").asText())
                || event.path("deploymentId").asText().startsWith(service + "-20");
    }

    private static ScenarioRun.Result run(Scenario scenario, String service, Variant variant)
            throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ScenarioRun.Result result = new ScenarioRun(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(scenario, service, 3, spec -> switch (variant) {
                    case APPROVAL_GATE -> DemoSpecs.withApproval(spec, 0);
                    case DRY_RUN -> DemoSpecs.withDryRun(spec);
                    case ROLLBACK_WINDOW_OPEN -> DemoSpecs.withRollbackWindow(spec, 600);
                    case ROLLBACK_WINDOW_CLOSING -> DemoSpecs.withRollbackWindow(spec, 2);
                    case SMOKE_TEST ->
                        DemoSpecs.withSmokeTestProbe(
                                spec,
                                spec.path("target")
                                        .path("listenerArn")
                                        .asText()
                                        .replaceAll("/[0-9a-f]+$", "/0123456789abcdef"));
                    case WATCH -> DemoSpecs.withWatch(spec, 600);
                    case PLAIN -> spec;
                });
        System.out.println(printed.toString(StandardCharsets.UTF_8));
        return result;
    }

    private static TrafficWeights weights(EcsAlbFixture fixture) {
        return LocalTargets.greenWeights(stack, fixture);
    }

    private static int greenDesiredCount(EcsAlbFixture fixture) {
        try (EcsClient ecs = stack.ecs()) {
            return ecs.describeServices(d -> d.cluster(fixture.cluster()).services(fixture.greenService()))
                    .services()
                    .get(0)
                    .desiredCount();
        }
    }
}
