package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The deployment state machine's promise that every step is safe to retry and that rollback is reachable from every
 * state, checked on its definition: each Task retries what is transient and catches everything else onto the rollback
 * path, except the few whose failure has nothing to send back (each named here with the reason).
 */
class DeploymentStateMachineTest {

    private static final Set<String> TRANSIENT_LAMBDA_ERRORS =
            Set.of("Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException");
    private static final Set<String> TRANSIENT_TOLLGATE_ERRORS =
            Set.of("dev.tollgate.errors.AwsUnavailableException", "dev.tollgate.errors.RetryableException");

    /** Tasks whose failure needs no rollback, and why; any other Task's catch-all must lead to RollBack. */
    private static final Map<String, String> NOTHING_TO_ROLL_BACK = Map.of(
            "AcquireLock", "the lock is not ours yet and nothing has moved",
            "ReleaseLockAfterLockFailure", "nothing has moved; the lock is released if it was taken",
            "ReleaseLockAfterDryRun", "a dry run moves nothing",
            "RetireOldVersion", "the rollback window has closed: the promotion is final",
            "ReleaseLockAfterPromotion", "the rollback window has closed: the promotion is final",
            "RollBack", "it is the rollback: its failure flags manual intervention",
            "ReleaseLockAfterRollback", "traffic is already back on the old version",
            "FlagManualIntervention", "the last resort of a rollback that failed");

    private static Map<String, JsonNode> states() throws IOException {
        Map<String, JsonNode> states = new LinkedHashMap<>();
        Json.tree(Files.readString(RepositoryFiles.stateMachineDefinition()))
                .path("States")
                .properties()
                .forEach(state -> states.put(state.getKey(), state.getValue()));
        return states;
    }

    private static Map<String, JsonNode> tasks() throws IOException {
        Map<String, JsonNode> tasks = new LinkedHashMap<>();
        states().forEach((name, state) -> {
            if ("Task".equals(state.path("Type").asText())) {
                tasks.put(name, state);
            }
        });
        return tasks;
    }

    @Test
    void everyTaskRetriesLambdasAndTollgatesTransientErrors() throws IOException {
        List<String> problems = new ArrayList<>();
        tasks().forEach((name, task) -> {
            Set<String> retried = new HashSet<>();
            task.path("Retry").forEach(rule -> rule.path("ErrorEquals").forEach(error -> retried.add(error.asText())));
            for (String error : union(TRANSIENT_LAMBDA_ERRORS, TRANSIENT_TOLLGATE_ERRORS)) {
                if (!retried.contains(error)) {
                    problems.add(name + " does not retry " + error);
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    /** ValidateRequest runs before any side effect: a refused spec ends the execution with its errors, nothing to undo. */
    @Test
    void everyTaskButValidationCatchesEveryError() throws IOException {
        Set<String> withoutCatchAll = new TreeSet<>();
        tasks().forEach((name, task) -> {
            if (catchAllTarget(task) == null) {
                withoutCatchAll.add(name);
            }
        });
        assertEquals(Set.of("ValidateRequest"), withoutCatchAll);
    }

    @Test
    void everyTasksCatchAllLeadsToTheRollbackUnlessThereIsNothingToRollBack() throws IOException {
        Map<String, JsonNode> states = states();
        Set<String> withoutRollback = new TreeSet<>();
        tasks().forEach((name, task) -> {
            String target = catchAllTarget(task);
            if (target != null && !reachable(states, target).contains("RollBack")) {
                withoutRollback.add(name);
            }
        });
        assertEquals(
                new TreeSet<>(NOTHING_TO_ROLL_BACK.keySet()),
                withoutRollback,
                "a Task whose failure cannot reach RollBack must say why in NOTHING_TO_ROLL_BACK");
    }

    @Test
    void theRollbackPathNeverMovesTrafficForwardAndEnds() throws IOException {
        Map<String, JsonNode> states = states();
        Set<String> rollbackPath = reachable(states, "RollBack");
        Set<String> forward =
                new TreeSet<>(Set.of("DeployCanary", "ShiftTraffic", "Decide", "AwaitApproval", "Promote"));
        forward.retainAll(rollbackPath);
        assertEquals(Set.of(), forward);
        assertTrue(
                rollbackPath.stream()
                        .anyMatch(name -> Set.of("Succeed", "Fail")
                                        .contains(states.get(name).path("Type").asText())
                                || states.get(name).path("End").asBoolean()),
                "the rollback path ends: " + rollbackPath);
    }

    private static String catchAllTarget(JsonNode task) {
        for (JsonNode rule : task.path("Catch")) {
            for (JsonNode error : rule.path("ErrorEquals")) {
                if ("States.ALL".equals(error.asText())) {
                    return rule.path("Next").asText();
                }
            }
        }
        return null;
    }

    /** The states reachable from {@code start} through Next, Choices, Default and Catch. */
    private static Set<String> reachable(Map<String, JsonNode> states, String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(start));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (!seen.add(name)) {
                continue;
            }
            JsonNode state = states.get(name);
            if (state.hasNonNull("Next")) {
                pending.push(state.path("Next").asText());
            }
            if (state.hasNonNull("Default")) {
                pending.push(state.path("Default").asText());
            }
            state.path("Choices")
                    .forEach(choice -> pending.push(choice.path("Next").asText()));
            state.path("Catch").forEach(rule -> pending.push(rule.path("Next").asText()));
        }
        return seen;
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> both = new TreeSet<>(first);
        both.addAll(second);
        return both;
    }
}
