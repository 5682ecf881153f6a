package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import dev.tollgate.local.TollgateCli.Run;
import dev.tollgate.ops.StepFunctionsExecutions;
import dev.tollgate.replay.RecordedTicks;
import dev.tollgate.replay.ReplayTick;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tollgate replay} on the local stack: demo deployments replayed with the same judge reproduce
 * every verdict and decision; a window without data says so; bad input is refused before any call.
 */
class ReplayIT {

    private static final Pattern AGREES = Pattern.compile("today's judge agrees with all (\\d+) recorded ticks");

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    private static Run tollgate(String... arguments) {
        Run run = TollgateCli.run(stack.moto().endpoint().toString(), arguments);
        System.out.println(run.out());
        return run;
    }

    private static String deploy(Scenario scenario, String service) throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ScenarioRun.Result result = new ScenarioRun(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(scenario, service, 5);
        assertEquals(scenario.expected().name(), result.outcome().status(), printed.toString(StandardCharsets.UTF_8));
        List<ReplayTick> recorded = RecordedTicks.read(
                new StepFunctionsExecutions(stack.sfn(), stack.stateMachineArn()).history(result.executionArn()));
        // What lets a replay tell data that reached CloudWatch after a tick read it from a judge that decides
        // otherwise.
        assertTrue(
                !recorded.isEmpty()
                        && recorded.stream()
                                .allMatch(tick -> tick.recorded()
                                        .map(then -> then.checkSamples()
                                                .getOrDefault("error-rate", Map.of())
                                                .containsKey("canaryRequests"))
                                        .orElse(true)),
                "every recorded tick says how much data it read");
        return result.outcome().deploymentId();
    }

    /** A demo release's spec; its traffic is stopped at once. */
    private static ObjectNode demoSpec(String service) {
        try (ScenarioRun.Release release = new ScenarioRun(stack, new PrintStream(new ByteArrayOutputStream()))
                .prepare(Scenario.GOOD, service, 3)) {
            return release.spec().deepCopy();
        }
    }

    private static void assertReproduces(String deploymentId, String outcome, int fewestTicks) throws Exception {
        Path report = Files.createTempDirectory("replay").resolve("replay.html");
        Run replay = tollgate("replay", "--deployment", deploymentId, "--report", report.toString());

        Matcher agrees = AGREES.matcher(replay.out());
        assertTrue(agrees.find(), replay.out() + replay.err());
        assertTrue(
                Integer.parseInt(agrees.group(1)) >= fewestTicks,
                "every tick of the steps is compared: " + replay.out());
        assertTrue(replay.out().contains("outcome: " + outcome), replay.out());
        assertEquals(0, replay.exitCode(), replay.err());
        String page = Files.readString(report);
        assertTrue(
                page.contains("replay of " + deploymentId) && page.contains("AGREES"), "the report tells the replay");
    }

    @Test
    void replayingAPromotedDemoDeploymentReproducesEveryVerdictAndDecision() throws Exception {
        assertReproduces(deploy(Scenario.GOOD, "replay-good"), "PROMOTE", 2);
    }

    @Test
    void replayingARolledBackDemoDeploymentReproducesEveryVerdictAndDecision() throws Exception {
        // Its first tick reads the canary's first whole period, which already fails it.
        assertReproduces(deploy(Scenario.BAD_ERRORS, "replay-bad"), "ROLLBACK", 1);
    }

    @Test
    void aWindowWithoutDataSaysSoAndNeverPasses() throws Exception {
        ObjectNode spec = demoSpec("replay-none");
        // Nobody ever published a release of this version: every series of the window is empty.
        ((ObjectNode) spec.path("analysis").path("canaryDimensions")).put("Version", "v-never-released");
        Path file = Files.createTempFile("replay-spec", ".json");
        Files.writeString(file, Json.write(spec));
        Instant to = Instant.now().minusSeconds(5);

        Run replay = tollgate(
                "replay",
                "--spec",
                file.toString(),
                "--canary-from",
                to.minusSeconds(120).toString(),
                "--canary-to",
                to.toString());

        assertEquals(1, replay.exitCode(), replay.out());
        assertTrue(replay.out().contains("outcome: NO_DATA"), replay.out());
        assertTrue(!replay.out().contains("verdict PASS"), replay.out());
    }

    @Test
    void refusesAnUnknownDeploymentAndWindowsItCannotReplayBeforeAnyCall() throws Exception {
        Run unknown = tollgate("replay", "--deployment", "never-deployed-v1");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("no deployment never-deployed-v1"), unknown.err());

        Path file = Files.createTempFile("replay-spec", ".json");
        Files.writeString(file, Json.write(demoSpec("replay-refused")));
        Instant now = Instant.now();
        // An endpoint nothing listens on: the refusals below must come before any call.
        String nowhere = "http://127.0.0.1:9";
        Run future = TollgateCli.run(
                nowhere,
                "replay",
                "--spec",
                file.toString(),
                "--canary-from",
                now.toString(),
                "--canary-to",
                now.plus(Duration.ofHours(1)).toString());
        assertEquals(1, future.exitCode());
        assertTrue(future.err().contains("is in the future"), future.err());

        Run tooOld = TollgateCli.run(
                nowhere,
                "replay",
                "--spec",
                file.toString(),
                "--canary-from",
                now.minus(Duration.ofDays(2)).toString(),
                "--canary-to",
                now.minus(Duration.ofDays(2)).plusSeconds(600).toString());
        assertEquals(1, tooOld.exitCode());
        assertTrue(tooOld.err().contains("older than CloudWatch keeps data"), tooOld.err());
    }
}
