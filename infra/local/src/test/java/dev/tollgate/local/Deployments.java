package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.deployment.LockHolder;
import dev.tollgate.traffic.TrafficWeights;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Deployments for the integration tests that end before traffic moves: a fresh service fixture, the
 * demo spec (with {@code override} so the error budget needs no traffic history), the execution
 * followed to its end, and what a user would look at afterwards.
 */
final class Deployments {

    private static final AtomicInteger SERVICES = new AtomicInteger();

    private final LocalStack stack;

    Deployments(LocalStack stack) {
        this.stack = stack;
    }

    /** A service name no other test of this stack uses. */
    static String newService(String prefix) {
        return prefix + SERVICES.incrementAndGet();
    }

    EcsAlbFixture fixture(String service) {
        return EcsAlbFixture.create(stack, service);
    }

    ObjectNode spec(EcsAlbFixture fixture) {
        String deploymentId =
                fixture.service() + "-" + Instant.now().toEpochMilli() + "-" + EcsAlbFixture.RELEASE_VERSION;
        ObjectNode spec = DemoSpecs.ecsAlb(deploymentId, fixture, fixture.service() + "-canary-errors");
        spec.put("override", true);
        return spec;
    }

    /** Starts the spec and waits for the end; the watcher's lines are dropped. */
    /** Waits until the deployment's execution has met {@code errorName} once (a function failed with it). */
    void awaitFailure(String deploymentId, String errorName, Duration timeout) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        String executionArn = "arn:aws:states:" + LocalStack.REGION + ":" + LocalStack.ACCOUNT + ":execution:"
                + LocalStack.STATE_MACHINE_NAME + ":" + deploymentId;
        while (java.time.Instant.now().isBefore(deadline)) {
            try {
                if (new Finished(deploymentId, executionArn, null, history(executionArn)).failuresOf(errorName) > 0) {
                    return;
                }
            } catch (software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException notStartedYet) {
                // The execution starts in a moment.
            }
            Thread.sleep(200);
        }
        throw new AssertionError(deploymentId + " never failed with " + errorName + " within " + timeout);
    }

    Finished run(ObjectNode spec, Duration timeout) throws InterruptedException {
        String deploymentId = spec.get("deploymentId").asText();
        String executionArn = new ScenarioRun(stack, quiet()).start(deploymentId, spec);
        DescribeExecutionResponse execution = new ExecutionWatcher(stack.sfn(), quiet()).follow(executionArn, timeout);
        return new Finished(
                deploymentId, executionArn, ExecutionWatcher.outcome(execution, deploymentId), history(executionArn));
    }

    /**
     * Starts the spec and follows it until it enters {@code state} (or ends), then stops it there:
     * for tests about the way to the canary, which need not wait for a whole rollout.
     */
    Finished runUntil(ObjectNode spec, String state, Duration timeout) throws InterruptedException {
        String deploymentId = spec.get("deploymentId").asText();
        String executionArn = new ScenarioRun(stack, quiet()).start(deploymentId, spec);
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<HistoryEvent> history = history(executionArn);
            boolean entered = history.stream()
                    .anyMatch(event -> event.stateEnteredEventDetails() != null
                            && state.equals(event.stateEnteredEventDetails().name()));
            DescribeExecutionResponse execution =
                    stack.sfn().describeExecution(describe -> describe.executionArn(executionArn));
            boolean running = execution.status() == ExecutionStatus.RUNNING;
            if (entered || !running || Instant.now().isAfter(deadline)) {
                if (running) {
                    stack.sfn()
                            .stopExecution(
                                    stop -> stop.executionArn(executionArn).cause("the test saw what it needed"));
                }
                return new Finished(
                        deploymentId, executionArn, ExecutionWatcher.outcome(execution, deploymentId), history);
            }
            Thread.sleep(250);
        }
    }

    List<HistoryEvent> history(String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            var response = stack.sfn()
                    .getExecutionHistory(get ->
                            get.executionArn(executionArn).maxResults(1000).nextToken(page));
            events.addAll(response.events());
            token = response.nextToken();
        } while (token != null);
        return events;
    }

    TrafficWeights weights(EcsAlbFixture fixture) {
        return LocalTargets.greenWeights(stack, fixture);
    }

    /** The green service's task definition: the live one until the canary is deployed. */
    String greenTaskDefinition(EcsAlbFixture fixture) {
        try (EcsClient ecs = stack.ecs()) {
            return ecs.describeServices(
                            describe -> describe.cluster(fixture.cluster()).services(fixture.greenService()))
                    .services()
                    .get(0)
                    .taskDefinition();
        }
    }

    Optional<DeploymentRecord> record(String deploymentId) {
        return store().find(deploymentId);
    }

    Optional<LockHolder> lockHolder(String service) {
        return store().lockHolder(service);
    }

    private DynamoDeploymentStore store() {
        return new DynamoDeploymentStore(stack.dynamo(), LocalStack.TABLE_NAME);
    }

    FunctionEnvironment functionEnvironment() {
        return new FunctionEnvironment(LocalStack.awsEnvironment(stack.moto()));
    }

    static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    /** An ended deployment: its ids, the outcome line and the execution's whole history. */
    record Finished(
            String deploymentId, String executionArn, ExecutionWatcher.Outcome outcome, List<HistoryEvent> history) {

        /** The version id FetchSecrets pinned for the spec's secret {@code id}, from the state's output. */
        java.util.Optional<String> pinnedVersion(String id) {
            return history.stream()
                    .filter(event -> event.stateExitedEventDetails() != null
                            && "FetchSecrets"
                                    .equals(event.stateExitedEventDetails().name()))
                    .flatMap(event -> java.util.stream.StreamSupport.stream(
                            dev.tollgate.json.Json.tree(
                                            event.stateExitedEventDetails().output())
                                    .path("secrets")
                                    .path("secrets")
                                    .spliterator(),
                            false))
                    .filter(secret -> id.equals(secret.path("id").asText()))
                    .map(secret -> secret.path("versionId").asText())
                    .findFirst();
        }

        /** Failed attempts of Lambda tasks with this error name (a Task whose Resource is a function ARN reports LambdaFunctionFailed). */
        long failuresOf(String errorName) {
            return history.stream()
                    .filter(event -> event.lambdaFunctionFailedEventDetails() != null
                                    && errorName.equals(event.lambdaFunctionFailedEventDetails()
                                            .error())
                            || event.taskFailedEventDetails() != null
                                    && errorName.equals(
                                            event.taskFailedEventDetails().error()))
                    .count();
        }

        /**
         * Every field of every event as text, sensitive ones included: the SDK's own toString
         * redacts inputs, outputs and causes, which would hide a leak rather than show one.
         */
        String fullText() {
            StringBuilder text = new StringBuilder();
            history.forEach(event -> text.append(dump(event)).append('\n'));
            return text.toString();
        }
    }

    static String dump(Object value) {
        if (value instanceof software.amazon.awssdk.core.SdkPojo pojo) {
            StringBuilder text = new StringBuilder("{");
            for (software.amazon.awssdk.core.SdkField<?> field : pojo.sdkFields()) {
                Object fieldValue = field.getValueOrDefault(pojo);
                if (fieldValue != null) {
                    text.append(field.memberName())
                            .append('=')
                            .append(dump(fieldValue))
                            .append(", ");
                }
            }
            return text.append('}').toString();
        }
        if (value instanceof java.util.Collection<?> items) {
            StringBuilder text = new StringBuilder("[");
            items.forEach(item -> text.append(dump(item)).append(", "));
            return text.append(']').toString();
        }
        return String.valueOf(value);
    }
}
