package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.errors.AwsUnavailableException;
import dev.tollgate.errors.UnexpectedFailureException;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.RolloutBudget;
import dev.tollgate.spec.RolloutBudget.TaskState;
import dev.tollgate.spec.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The real state machine on the local stack, counted event by event against what {@link RolloutBudget}
 * assumes: a tick costs {@link RolloutBudget#EVENTS_PER_TICK} events, each retry three more, every
 * state as many as its type records, a whole rollout less than the spec's worst case; and the largest
 * state and answer of a maximal spec stay within the budget's bounds and the 256 KiB AWS allows.
 * moto's engine records the same events per state as AWS (docs/quotas.md compares them).
 */
@Execution(ExecutionMode.CONCURRENT)
class HistoryBudgetIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    /** One state as the history recorded it: its name, and its events from entering it to leaving it. */
    private record StateRun(String name, List<HistoryEvent> events) {

        String type() {
            return events.get(0).typeAsString().replace("StateEntered", "");
        }

        long count(String eventType) {
            return events.stream()
                    .filter(event -> eventType.equals(event.typeAsString()))
                    .count();
        }
    }

    private static List<StateRun> stateRuns(List<HistoryEvent> history) {
        List<StateRun> runs = new ArrayList<>();
        for (HistoryEvent event : history) {
            if (event.stateEnteredEventDetails() != null) {
                runs.add(new StateRun(event.stateEnteredEventDetails().name(), new ArrayList<>()));
            }
            if (!runs.isEmpty()) {
                runs.get(runs.size() - 1).events().add(event);
            }
        }
        return runs;
    }

    private static DeploymentSpec specOf(String executionArn) {
        String input = stack.sfn()
                .describeExecution(describe -> describe.executionArn(executionArn))
                .input();
        return new SpecValidator().validate(Json.tree(input));
    }

    @Test
    void aTickCostsWhatTheBudgetCountsEveryStateRecordsWhatItsTypeDoesAndTheRolloutStaysWithinItsWorstCase()
            throws Exception {
        String service = "budget-ticks";
        // The first tick's Decide fails twice for a moment (retried); a gate after the first step is approved.
        stack.lambdaEndpoint()
                .failNext(
                        "DecideFunction",
                        event -> service.equals(
                                event.path("spec").path("service").asText()),
                        2,
                        () -> new AwsUnavailableException("CloudWatch GetMetricData: throttled (injected)"));
        CompletableFuture<Void> approver = CompletableFuture.runAsync(() -> approveOnceWaiting(service));

        ScenarioRun.Result result = new ScenarioRun(stack, Deployments.quiet())
                .run(Scenario.GOOD, service, 11, spec -> DemoSpecs.withApproval(spec, 0));
        approver.get();

        assertEquals("PROMOTED", result.outcome().status(), result.outcome().toString());
        List<HistoryEvent> history = new Deployments(stack).history(result.executionArn());
        List<StateRun> runs = stateRuns(history);

        // Every state records what its type records, as RolloutBudget counts it.
        Map<String, TaskState> tasks =
                Arrays.stream(TaskState.values()).collect(Collectors.toMap(TaskState::stateName, Function.identity()));
        for (StateRun run : runs) {
            long recorded = run.events().size();
            switch (run.type()) {
                case "Wait", "Choice", "Pass" -> assertEquals(2, recorded, run.toString());
                case "Succeed" -> assertEquals(3, recorded, run.toString());
                case "Task" -> {
                    TaskState task = tasks.get(run.name());
                    long attempts = run.count("LambdaFunctionScheduled") + run.count("TaskScheduled");
                    assertTrue(attempts >= 1 && attempts <= task.maxAttempts(), run.toString());
                    assertEquals(
                            task.events((int) attempts - 1), recorded, run.name() + " with " + attempts + " attempts");
                }
                default -> throw new AssertionError("a state type the budget does not count: " + run);
            }
        }
        // A tick: its Wait (WaitForFirstTick or Bake), Decide, RouteDecision; each retry of Decide three more.
        List<Long> ticks = new ArrayList<>();
        for (int index = 0; index + 2 < runs.size(); index++) {
            if (runs.get(index).name().equals("WaitForFirstTick")
                    || runs.get(index).name().equals("Bake")) {
                assertEquals("Decide", runs.get(index + 1).name());
                assertEquals("RouteDecision", runs.get(index + 2).name());
                ticks.add((long) runs.get(index).events().size()
                        + runs.get(index + 1).events().size()
                        + runs.get(index + 2).events().size());
            }
        }
        assertEquals(RolloutBudget.EVENTS_PER_TICK + 2 * 3, ticks.get(0), "the first tick, retried twice: " + ticks);
        assertTrue(
                ticks.subList(1, ticks.size()).stream().allMatch(events -> events == RolloutBudget.EVENTS_PER_TICK),
                ticks.toString());
        StateRun gate = runs.stream()
                .filter(run -> run.name().equals("AwaitApproval"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                TaskState.AWAIT_APPROVAL.events(0),
                gate.events().size(),
                "entered, scheduled, started, submitted, succeeded, exited");

        RolloutBudget.Estimate worst = RolloutBudget.of(specOf(result.executionArn()));
        assertTrue(ticks.size() <= worst.ticks(), ticks.size() + " ticks, at most " + worst.ticks());
        assertTrue(
                history.size() <= worst.historyEvents(), history.size() + " events, at most " + worst.historyEvents());
        System.out.println("measured: " + history.size() + " events, " + ticks.size() + " ticks " + ticks
                + "; worst case " + worst.historyEvents() + " events, " + worst.ticks() + " ticks");
    }

    private static void approveOnceWaiting(String service) {
        DynamoDeploymentStore store = new DynamoDeploymentStore(stack.dynamo(), LocalStack.TABLE_NAME);
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<String> token = store.recent(20).stream()
                    .filter(record -> service.equals(record.service()))
                    .findFirst()
                    .flatMap(record -> store.approvalToken(record.deploymentId()));
            if (token.isPresent()) {
                stack.sfn()
                        .sendTaskSuccess(
                                send -> send.taskToken(token.get())
                                        .output(
                                                "{\"action\":\"APPROVE\",\"decidedBy\":\"HistoryBudgetIT\",\"reason\":\"measuring\"}"));
                return;
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * 50 metrics and 100 alarms with the longest names; the second tick's Decide fails for good and
     * so does the rollback, so the state carries a failure, its copy in the rollback's description and
     * the rollback's own failure.
     */
    @Test
    void theLargestStateAndTickAnswerOfAMaximalSpecStayWithinTheBudgetAndTheQuota() throws Exception {
        String service = "budget-payload";
        // From the second tick on (the first answers with a verdict of 151 checks), Decide crashes.
        Set<String> ticks = ConcurrentHashMap.newKeySet();
        stack.lambdaEndpoint()
                .failNext(
                        "DecideFunction",
                        event -> service.equals(
                                        event.path("spec").path("service").asText())
                                && afterTheFirst(
                                        ticks, event.path("tickStartedAt").asText()),
                        1_000,
                        () -> new UnexpectedFailureException(
                                "injected crash of Decide, " + "with a long message ".repeat(200)));
        stack.lambdaEndpoint()
                .failNext(
                        "FinalizeFunction",
                        event -> service.equals(
                                        event.path("spec").path("service").asText())
                                && "ROLLBACK".equals(event.path("action").asText()),
                        1_000,
                        () -> new UnexpectedFailureException(
                                "injected crash of the rollback, " + "with a long message ".repeat(200)));

        ScenarioRun.Result result =
                new ScenarioRun(stack, Deployments.quiet()).run(Scenario.GOOD, service, 5, HistoryBudgetIT::maximal);

        List<HistoryEvent> history = new Deployments(stack).history(result.executionArn());
        long largestState = 0;
        long largestAnswer = 0;
        for (HistoryEvent event : history) {
            if (event.stateEnteredEventDetails() != null) {
                largestState = Math.max(
                        largestState, bytes(event.stateEnteredEventDetails().input()));
            }
            if (event.stateExitedEventDetails() != null) {
                largestState = Math.max(
                        largestState, bytes(event.stateExitedEventDetails().output()));
            }
            if (event.lambdaFunctionSucceededEventDetails() != null) {
                largestAnswer = Math.max(
                        largestAnswer,
                        bytes(event.lambdaFunctionSucceededEventDetails().output()));
            }
        }
        RolloutBudget.Estimate worst = RolloutBudget.of(specOf(result.executionArn()));
        System.out.println("measured: largest state " + largestState + " bytes (bound " + worst.largestStateBytes()
                + "), largest answer " + largestAnswer + " bytes (bound " + worst.largestAnswerBytes() + ")");
        StateRun last = stateRuns(history).get(stateRuns(history).size() - 1);
        assertEquals("ManualInterventionRequired", last.name(), "ended in the failure path, the rollback failed too");
        assertEquals(
                List.of("FailStateEntered", "ExecutionFailed"),
                last.events().stream().map(HistoryEvent::typeAsString).toList());
        assertTrue(largestState <= worst.largestStateBytes(), largestState + " > " + worst.largestStateBytes());
        assertTrue(largestAnswer <= worst.largestAnswerBytes(), largestAnswer + " > " + worst.largestAnswerBytes());
        assertTrue(worst.largestStateBytes() <= RolloutBudget.PAYLOAD_QUOTA_BYTES);
        assertTrue(worst.largestAnswerBytes() <= RolloutBudget.PAYLOAD_QUOTA_BYTES);
    }

    /** Notes {@code tick} and says whether an earlier tick was seen. */
    private static boolean afterTheFirst(Set<String> seen, String tick) {
        seen.add(tick);
        return seen.size() > 1;
    }

    /** The demo spec grown to 50 metrics (its two, copied under new names), the SLO, and 100 alarms of 255 characters. */
    private static ObjectNode maximal(ObjectNode spec) {
        ObjectNode analysis = (ObjectNode) spec.get("analysis");
        ArrayNode metrics = (ArrayNode) analysis.get("metrics");
        List<ObjectNode> originals = new ArrayList<>();
        metrics.forEach(metric -> originals.add((ObjectNode) metric));
        for (int index = metrics.size(); index < SpecValidator.MAX_METRICS; index++) {
            metrics.add(originals.get(index % originals.size()).deepCopy().put("name", "copy-" + index));
        }
        ArrayNode alarms = analysis.putArray("alarms");
        for (int index = 0; index < SpecValidator.MAX_ALARMS; index++) {
            String prefix = "budget-payload-alarm-" + index + "-";
            alarms.add(prefix + "z".repeat(255 - prefix.length()));
        }
        return spec;
    }

    private static long bytes(String json) {
        return json == null ? 0 : json.getBytes(StandardCharsets.UTF_8).length;
    }
}
