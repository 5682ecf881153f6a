package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.json.Json;
import dev.tollgate.spec.RolloutBudget;
import dev.tollgate.spec.RolloutBudget.Retrier;
import dev.tollgate.spec.RolloutBudget.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What {@link RolloutBudget} assumes of the state machine and the template, read from them: every
 * Task state with its Retry rules, whether it waits for a token, how long an attempt may last, the
 * approval gate's timeout and the functions' poll interval. A new Task state, or a changed Retry,
 * fails here until the budget counts it.
 */
class RolloutBudgetAslTest {

    private static JsonNode states() throws IOException {
        return Json.tree(Files.readString(RepositoryFiles.stateMachineDefinition()))
                .path("States");
    }

    private static JsonNode template() throws IOException {
        return new ObjectMapper(new YAMLFactory())
                .readTree(RepositoryFiles.template().toFile());
    }

    @Test
    void theBudgetKnowsEveryTaskStateWithItsRetryRules() throws IOException {
        Map<String, TaskState> known =
                Arrays.stream(TaskState.values()).collect(Collectors.toMap(TaskState::stateName, task -> task));
        Set<String> tasks = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        states().properties().forEach(state -> {
            if (!"Task".equals(state.getValue().path("Type").asText())) {
                return;
            }
            tasks.add(state.getKey());
            TaskState task = known.get(state.getKey());
            if (task == null) {
                problems.add(state.getKey() + ": a Task state RolloutBudget.TaskState does not count");
                return;
            }
            List<Retrier> retry = new ArrayList<>();
            state.getValue()
                    .path("Retry")
                    .forEach(rule -> retry.add(new Retrier(
                            rule.path("IntervalSeconds").asInt(1),
                            rule.path("MaxAttempts").asInt(3),
                            rule.path("BackoffRate").asDouble(2.0))));
            if (!retry.equals(task.retriers())) {
                problems.add(state.getKey() + ": Retry " + retry + " but the budget counts " + task.retriers());
            }
            boolean waits = state.getValue().path("Resource").asText().endsWith(".waitForTaskToken");
            if (waits != task.waitsForTaskToken()) {
                problems.add(state.getKey() + ": waits for a task token " + waits + " but the budget counts "
                        + task.waitsForTaskToken());
            }
        });
        assertEquals(List.of(), problems);
        assertEquals(known.keySet(), tasks, "the budget counts no Task state the state machine does not have");
    }

    @Test
    void anAttemptLastsNoLongerThanTheBudgetCountsAndAGateADay() throws IOException {
        JsonNode template = template();
        int globalTimeout =
                template.path("Globals").path("Function").path("Timeout").asInt(3);
        List<String> problems = new ArrayList<>();
        states().properties().forEach(state -> {
            JsonNode definition = state.getValue();
            if (!"Task".equals(definition.path("Type").asText())) {
                return;
            }
            String resource = definition.path("Resource").asText().endsWith(".waitForTaskToken")
                    ? definition.path("Parameters").path("FunctionName").asText()
                    : definition.path("Resource").asText();
            String function = resource.replace("${", "").replace("Arn}", "");
            int timeout = template.path("Resources")
                    .path(function)
                    .path("Properties")
                    .path("Timeout")
                    .asInt(globalTimeout);
            TaskState task = TaskState.valueOf(constantName(state.getKey()));
            if (timeout > task.attemptSeconds()) {
                problems.add(state.getKey() + ": " + function + " may run " + timeout + " s, the budget counts "
                        + task.attemptSeconds());
            }
        });
        assertEquals(List.of(), problems);
        assertEquals(
                RolloutBudget.APPROVAL_TIMEOUT_SECONDS,
                states().path("AwaitApproval").path("TimeoutSeconds").asInt());
    }

    @Test
    void theFunctionsPollNoMoreOftenThanTheBudgetCounts() throws IOException {
        List<String> intervals = new ArrayList<>();
        template()
                .path("Resources")
                .properties()
                .forEach(resource -> resource.getValue()
                        .path("Properties")
                        .path("Environment")
                        .path("Variables")
                        .properties()
                        .forEach(variable -> {
                            if (variable.getKey().endsWith("_POLL_SECONDS")) {
                                intervals.add(variable.getKey() + "="
                                        + variable.getValue().asText());
                                assertTrue(
                                        variable.getValue().asInt() >= RolloutBudget.POLL_SECONDS,
                                        resource.getKey() + " " + variable);
                            }
                        }));
        assertTrue(intervals.size() >= 2, "the canary's and the migration task's poll intervals: " + intervals);
    }

    private static String constantName(String stateName) {
        return stateName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }
}
