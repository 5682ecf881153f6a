package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import dev.tollgate.spec.ReleaseBudget;
import dev.tollgate.spec.ReleaseSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the release state machine, template.yaml and what {@link ReleaseBudget} counts of it in step: its placeholders,
 * every Task's correlation, retries and failure path, and the loops' intervals (AWS's own validator: ThirdPartyChecksIT).
 */
class ReleaseStateMachineTest {

    private final SamTemplate template = SamTemplate.read(RepositoryFiles.template());

    private static String definition() throws IOException {
        return Files.readString(RepositoryFiles.releaseStateMachineDefinition());
    }

    /** Every state, the Maps' inner ones included, by name. */
    private static Map<String, JsonNode> states() throws IOException {
        Map<String, JsonNode> states = new LinkedHashMap<>();
        collect(Json.tree(definition()).path("States"), states);
        return states;
    }

    private static void collect(JsonNode level, Map<String, JsonNode> into) {
        level.properties().forEach(state -> {
            into.put(state.getKey(), state.getValue());
            collect(state.getValue().path("ItemProcessor").path("States"), into);
        });
    }

    @Test
    void everyPlaceholderIsOneOfTheTemplatesSubstitutions() throws IOException {
        Set<String> used = new TreeSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(definition());
        while (placeholder.find()) {
            used.add(placeholder.group(1));
        }
        assertEquals(
                used,
                new TreeSet<>(
                        template.definitionSubstitutions("ReleaseStateMachine").keySet()));
    }

    @Test
    void everyFunctionTaskTellsTheExecutionRetriesAsTheBudgetCountsAndEveryLoopWaitsWhatItCounts() throws IOException {
        List<String> problems = new ArrayList<>();
        states().forEach((name, state) -> {
            if (!"Task".equals(state.path("Type").asText())) {
                return;
            }
            boolean function = state.path("Resource").asText().equals("${ReleaseFunctionArn}");
            if (function && !state.path("Parameters").path("execution").has("arn.$")) {
                problems.add(name + " does not tell its function the execution");
            }
            int retries = 0;
            for (JsonNode rule : state.path("Retry")) {
                retries += rule.path("MaxAttempts").asInt(3);
            }
            int counted = name.equals("DeployTarget") ? 5 : 9;
            if (retries != counted) {
                problems.add(name + " retries " + retries + " times; the budget counts " + counted);
            }
        });
        assertEquals(List.of(), problems);
        Map<String, JsonNode> states = states();
        assertEquals(
                ReleaseSpec.LOCK_CHECK_SECONDS,
                states.get("WaitForLock").path("Seconds").asInt());
        assertEquals(
                ReleaseBudget.ROLLBACK_CHECK_SECONDS,
                states.get("WaitForWaveRollback").path("Seconds").asInt());
        assertTrue(states.get("DeployTarget")
                .path("Resource")
                .asText()
                .endsWith("states:startExecution.waitForTaskToken"));
        assertEquals(
                "$.target.spec.deploymentId",
                states.get("DeployTarget").path("Parameters").path("Name.$").asText(),
                "a target's execution is named after its deploymentId, as tollgate status finds it");
    }

    @Test
    void everyWaveAndTargetFailureIsCaughtSoTheReleaseHaltsRatherThanDies() throws IOException {
        Map<String, JsonNode> states = states();
        for (String caught : List.of("CheckLock", "DeployTarget")) {
            assertEquals(
                    "TargetNotPromoted",
                    states.get(caught).path("Catch").get(0).path("Next").asText(),
                    caught);
        }
        for (String halting : List.of("Waves", "CompleteRelease")) {
            assertEquals(
                    "Halt",
                    states.get(halting).path("Catch").get(0).path("Next").asText(),
                    halting);
        }
        assertEquals(
                "$.ended",
                states.get("BakeAfterWave").path("OutputPath").asText(),
                "a wave's iteration ends with its verdict only: the Map over the waves gathers no outcomes");
    }
}
