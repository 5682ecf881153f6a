package dev.tollgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tollgate.bench.Outcome.Decision;
import dev.tollgate.bench.scenario.ScenarioFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark run end to end on the six sample scenarios of judge-scenarios/samples. */
class BenchCommandTest {

    @TempDir
    Path temporary;

    private static Path samples() throws URISyntaxException {
        return Path.of(BenchCommandTest.class.getResource("/scenarios").toURI());
    }

    @Test
    void tollgateDecidesEverySampleAsItsTruthSays() throws Exception {
        Path results = temporary.resolve("results.json");

        BenchCommand.run(
                new String[] {
                    "judge", "--scenarios", samples().toString(), "--out", results.toString(), "--judge", "tollgate"
                },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        List<Outcome> outcomes =
                ScenarioFiles.MAPPER.readValue(results.toFile(), new TypeReference<List<Outcome>>() {});
        Map<String, Decision> decisions =
                outcomes.stream().collect(Collectors.toMap(Outcome::scenario, Outcome::decision));
        assertEquals(
                Map.of(
                        "errors-x3-2", Decision.ROLLBACK,
                        "latency-x2-0", Decision.ROLLBACK,
                        "good-0", Decision.PROMOTE,
                        "within-tolerance-0", Decision.PROMOTE,
                        "shared-incident-0", Decision.PROMOTE,
                        "trickle-0", Decision.UNDECIDED),
                decisions);
        assertTrue(
                Files.readString(results)
                        .contains("{\n  \"scenario\" : \"trickle-0\",\n  \"judge\" : \"tollgate\",\n"
                                + "  \"decision\" : \"UNDECIDED\"\n}"),
                "an undecided result has no period");
    }

    @Test
    void printsAScoreTableForEveryJudge() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        BenchCommand.run(
                new String[] {
                    "judge",
                    "--scenarios",
                    samples().toString(),
                    "--out",
                    temporary.resolve("r.json").toString()
                },
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("| tollgate | 0.0% (0/3) | 0.0% (0/2) | 0.0% (0/5) | 0.0% (0/1) |"), table);
        // The threshold rule counts a canary under 100 requests as healthy, so it promotes the trickle.
        assertTrue(table.contains("| threshold | 66.7% (2/3) | 0.0% (0/2) | 0.0% (0/5) | 100.0% (1/1) | 1 |"), table);
        assertTrue(table.contains("| mann-whitney |"), table);
        assertTrue(table.contains("| static-alarm |"), table);
    }

    @Test
    void generatesScenariosThatTheJudgeCommandReads() {
        Path folder = temporary.resolve("generated");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        BenchCommand.run(new String[] {"generate", "--out", folder.toString(), "--seed", "3", "--count", "28"}, quiet);
        List<Outcome> outcomes = BenchCommand.judge(
                folder, temporary.resolve("generated.json"), List.of("tollgate", "threshold"), quiet);

        assertEquals(56, outcomes.size());
    }

    @Test
    void refusesAnOptionItsCommandDoesNotTakeBeforeStartingAnything() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> BenchCommand.run(new String[] {"coldstart", "--runs", "2", "--seeds", "3"}, quiet));

        assertEquals(
                "coldstart does not take --seeds; it takes --baseline-from-jar, --baseline-jars, --baseline-java-tool-options,"
                        + " --function, --priming, --runs, --work-dir",
                refused.getMessage());
    }

    @Test
    void helpPrintsTheUsageAndRunsNothing() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int exit = BenchCommand.run(
                new String[] {"coldstart", "--help"}, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertEquals(0, exit);
        assertTrue(
                printed.toString(StandardCharsets.UTF_8).startsWith("usage: java -jar tollgate-bench.jar judge"),
                printed.toString());
    }

    @Test
    void refusesAnUnknownCommand() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> BenchCommand.run(new String[] {"coldstrat"}, System.out));

        assertEquals("unknown command coldstrat", refused.getMessage());
    }
}
