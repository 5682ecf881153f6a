package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code tollgate validate --spec FILE} offline, on every spec the repository shows: events/ and docs/spec.md. */
class ValidateCommandTest {

    @TempDir
    Path temporary;

    private record Ran(int status, String out, String err) {}

    private static Ran validate(Path spec, String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = TollgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        List<String> arguments = new ArrayList<>(List.of("validate", "--spec", spec.toString()));
        arguments.addAll(Arrays.asList(options));
        int status = commandLine.execute(arguments.toArray(String[]::new));
        return new Ran(status, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(temporary.resolve(name), text);
    }

    /** Every sample that is a spec (the state machine's inputs), and the normalised spec each function's sample carries. */
    static Stream<String> specSamples() throws IOException {
        try (Stream<Path> files = Files.list(RepositoryFilesForTests.root().resolve("events"))) {
            return files
                    .map(file -> file.getFileName().toString())
                    .filter(name -> !name.equals("statemachine-invalid.json")
                            && (name.startsWith("statemachine-")
                                    || name.equals("validate-request.json")
                                    || Json.tree(RepositoryFilesForTests.event(name))
                                            .has("spec")))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specSamples")
    void everySpecSampleValidatesAndItsWorstCaseFitsAws(String sample) throws IOException {
        JsonNode event = Json.tree(RepositoryFilesForTests.event(sample));
        Path spec = write(sample, Json.write(event.has("spec") ? event.get("spec") : event));

        Ran ran = validate(spec);

        assertEquals(0, ran.status(), ran.err());
        assertTrue(ran.out().contains(": valid deployment spec "), ran.out());
        for (String figure :
                List.of("history events", "analysis ticks", "duration", "largest state", "largest tick answer")) {
            assertTrue(ran.out().contains(figure), figure + " in " + ran.out());
        }
        assertTrue(ran.out().contains("of the 24,000 Tollgate allows (AWS allows 25,000)"), ran.out());
    }

    @Test
    void theInvalidSampleIsRefusedWithEveryProblemAtItsPath() {
        Ran ran = validate(RepositoryFilesForTests.root().resolve("events/statemachine-invalid.json"));

        assertEquals(TollgateCommand.INVALID, ran.status());
        List<String> problems =
                ran.err().lines().filter(line -> line.startsWith("  $")).toList();
        assertTrue(problems.size() > 1, ran.err());
        assertTrue(ran.err().startsWith("tollgate: "), ran.err());
        assertTrue(ran.err().contains("invalid deployment spec, " + problems.size() + " problems:"), ran.err());
        assertEquals("", ran.out());
    }

    @Test
    void theSpecReferencesExamplesValidateOrAreRefusedAsItSays() throws IOException {
        String page = Files.readString(RepositoryFilesForTests.root().resolve("docs/spec.md"));

        for (String valid : blocksAfter(page, "<!-- spec: valid -->")) {
            Ran ran = validate(write("valid.json", valid));
            assertEquals(0, ran.status(), ran.err());
        }
        List<String> refused = blocksAfter(page, "<!-- spec: refused -->");
        List<String> messages = blocksAfter(page, "<!-- spec: refusal message -->");
        assertEquals(1, refused.size());
        Ran ran = validate(write("refused.json", refused.get(0)));
        assertEquals(TollgateCommand.INVALID, ran.status());
        List<String> documented = Arrays.stream(messages.get(0)
                        .replaceFirst("^invalid deployment spec, \\d+ problems: ", "")
                        .split(";\n"))
                .map(String::strip)
                .toList();
        List<String> printed = ran.err()
                .lines()
                .filter(line -> line.startsWith("  $"))
                .map(String::strip)
                .toList();
        assertEquals(documented, printed);
    }

    private static List<String> blocksAfter(String page, String marker) {
        List<String> blocks = new ArrayList<>();
        Matcher block = Pattern.compile(Pattern.quote(marker) + "\\s*```(?:json|text)\\n(.*?)```", Pattern.DOTALL)
                .matcher(page);
        while (block.find()) {
            blocks.add(block.group(1).strip());
        }
        return blocks;
    }

    @Test
    void aSpecPastTheHistoryQuotaIsRefusedWithTheFiguresAndWhatWouldFit() throws IOException {
        ObjectNode spec = (ObjectNode) Json.tree(RepositoryFilesForTests.event("statemachine-ecs-alb.json"));
        ArrayNode steps = spec.putArray("steps");
        for (int step = 1; step <= 19; step++) {
            steps.addObject().put("weight", step * 5).put("bakeSeconds", 86_400);
        }
        steps.addObject().put("weight", 100);

        Ran ran = validate(write("long.json", Json.write(spec)));

        assertEquals(TollgateCommand.INVALID, ran.status());
        assertTrue(ran.err().contains("  $.steps: the worst case is "), ran.err());
        assertTrue(ran.err().contains("54,739 analysis ticks"), ran.err());
        assertTrue(ran.err().contains("of maxBakeSeconds over all steps at one tick per 60 s"), ran.err());
    }

    @Test
    void aFileThatCannotBeReadHasItsOwnExitStatusAndOneThatIsNotJsonIsRefused() throws IOException {
        Ran missing = validate(temporary.resolve("no-such-spec.json"));
        Ran notJson = validate(write("broken.json", "{\"deploymentId\": "));

        assertEquals(ValidateCommand.UNREADABLE, missing.status());
        assertTrue(missing.err().startsWith("tollgate: cannot read "), missing.err());
        assertEquals(TollgateCommand.INVALID, notJson.status());
        assertTrue(notJson.err().contains("  $: not JSON: "), notJson.err());
    }

    @Test
    void aReleaseInWavesIsValidatedWithEveryTargetAndTheParentsWorstCase() {
        Ran ran = validate(RepositoryFilesForTests.root().resolve("events/release-three-regions.json"));

        assertEquals(0, ran.status(), ran.err());
        assertTrue(
                ran.out()
                        .contains(
                                "valid release checkout-v42 (2 waves, 3 targets, 900 s between waves, on failure ROLLBACK_ALL)"),
                ran.out());
        assertTrue(
                ran.out()
                        .contains(
                                "wave 2: checkout-v42-w2-1 checkout in us-east-1 as arn:aws:iam::210987654321:role/tollgate/deployer"),
                ran.out());
        assertTrue(
                ran.out()
                        .contains(
                                "wave 2: checkout-v42-w2-2 checkout in ap-southeast-2 as arn:aws:iam::123456789012:role/tollgate/"
                                        + "deployer-ap-southeast-2, 2 steps before the promotion"),
                ran.out());
    }

    @Test
    void aBadReleaseIsRefusedAsAReleaseWithEveryProblemAtItsPath() throws IOException {
        ObjectNode release = (ObjectNode) Json.tree(RepositoryFilesForTests.event("release-three-regions.json"));
        ((ObjectNode) release.get("waves").get(1).get("targets").get(0))
                .put("region", "moon-1")
                .put("roleArn", "deployer");
        ((ObjectNode) release.get("waves").get(0)).putArray("targets");

        Ran ran = validate(write("release.json", Json.write(release)));

        assertEquals(TollgateCommand.INVALID, ran.status());
        assertTrue(ran.err().contains("invalid release, 3 problems:"), ran.err());
        assertTrue(ran.err().contains("  $.waves[0].targets: the wave is empty"), ran.err());
        assertTrue(ran.err().contains("  $.waves[1].targets[0].region: 'moon-1' is not a region AWS runs"), ran.err());
        assertTrue(ran.err().contains("  $.waves[1].targets[0].roleArn: 'deployer' is not an IAM role ARN"), ran.err());
    }

    @Test
    void aSpecPlacedAwayIsCheckedForReachWhenTheHomeRegionIsGiven() throws IOException {
        ObjectNode placed = (ObjectNode) Json.tree(RepositoryFilesForTests.event("validate-request.json"));
        placed.put("region", "eu-west-1");
        Path spec = write("placed.json", Json.write(placed));

        Ran unknownHome = validate(spec);
        Ran fromVirginia = validate(spec, "--home-region", "us-east-1");
        Ran fromIreland = validate(spec, "--home-region", "eu-west-1");

        assertEquals(0, unknownHome.status(), unknownHome.err());
        assertTrue(
                unknownHome
                        .out()
                        .contains("note: placed in eu-west-1; whether Tollgate's functions can reach it is checked with"
                                + " --home-region, or by the state machine's ValidateRequest"),
                unknownHome.out());
        assertEquals(TollgateCommand.INVALID, fromVirginia.status(), fromVirginia.out());
        assertTrue(
                fromVirginia
                        .err()
                        .contains(
                                "  $.region: a target in eu-west-1 with no roleArn: Tollgate's own role acts in us-east-1"
                                        + " only"),
                fromVirginia.err());
        assertEquals(0, fromIreland.status(), fromIreland.err());
    }

    @Test
    void everyTargetOfAReleaseIsCheckedForReachAtItsOwnPath() throws IOException {
        ObjectNode release = (ObjectNode) Json.tree(RepositoryFilesForTests.event("release-three-regions.json"));
        ((ObjectNode) release.get("waves").get(0).get("targets").get(0)).remove("roleArn");
        ((ObjectNode) release.get("waves").get(1).get("targets").get(1)).remove("roleArn");

        Ran ran = validate(write("unreachable.json", Json.write(release)), "--home-region", "us-east-1");
        Ran example = validate(
                RepositoryFilesForTests.root().resolve("events/release-three-regions.json"),
                "--home-region",
                "us-east-1");

        assertEquals(TollgateCommand.INVALID, ran.status(), ran.out());
        assertTrue(ran.err().contains("invalid release, 2 problems:"), ran.err());
        assertTrue(
                ran.err().contains("  $.waves[0].targets[0].region: a target in eu-west-1 with no roleArn"), ran.err());
        assertTrue(
                ran.err().contains("  $.waves[1].targets[1].region: a target in ap-southeast-2 with no roleArn"),
                ran.err());
        assertEquals(0, example.status(), "the example names a role wherever it leaves home: " + example.err());
    }
}
