package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.events.EventSchema;
import dev.tollgate.json.Json;
import dev.tollgate.local.TollgateCli.Run;
import dev.tollgate.traffic.TrafficWeights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The tollgate command's ops subcommands end to end: picocli commands run in this JVM against the
 * local stack (--endpoint-url), steering real executions of the state machine.
 */
@Execution(ExecutionMode.CONCURRENT)
class OperationsCliIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    /** The command run in this JVM against the local stack (RollbackWindowIT runs it the same way). */
    static Run tollgate(String... arguments) {
        return TollgateCli.run(stack.moto().endpoint().toString(), arguments);
    }

    static ScenarioRun.Release release(String service) {
        return new ScenarioRun(stack, new PrintStream(new ByteArrayOutputStream())).prepare(Scenario.GOOD, service, 11);
    }

    static Path specFile(ObjectNode spec) throws IOException {
        Path file = Files.createTempFile("tollgate-spec", ".json");
        Files.writeString(file, Json.write(spec));
        return file;
    }

    static DynamoDeploymentStore store() {
        return new DynamoDeploymentStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
    }

    static DeploymentRecord awaitRecord(String deploymentId, Predicate<DeploymentRecord> condition, String what)
            throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            var record = store().find(deploymentId);
            if (record.isPresent() && condition.test(record.get())) {
                return record.get();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(deploymentId + " never " + what + ": " + store().find(deploymentId));
    }

    static DeploymentRecord awaitEnd(String deploymentId) throws InterruptedException {
        return awaitRecord(
                deploymentId,
                record -> record.status().finished()
                        && record.timeline().stream().anyMatch(entry -> "Unlock".equals(entry.state())),
                "ended");
    }

    static TrafficWeights weights(EcsAlbFixture fixture) {
        return LocalTargets.greenWeights(stack, fixture);
    }

    @Test
    void anApprovalGateApprovedByHandGoesOnToThePromotion() throws Exception {
        try (ScenarioRun.Release release = release("cli-approve")) {
            String id = release.deploymentId();
            BusSubscription bus = BusSubscription.toService(
                    stack, release.spec().path("service").asText());
            Run started = tollgate(
                    "start",
                    "--spec",
                    specFile(DemoSpecs.withApproval(release.spec(), 0)).toString());
            assertEquals(0, started.exitCode(), started.err());
            assertTrue(started.out().startsWith("started " + id), started.out());

            awaitRecord(id, record -> record.awaitingApprovalStep() != null, "waited for approval");
            Run waiting = tollgate("status", id);
            assertTrue(waiting.out().contains("now       step 1/3 at 10 %: waiting for approval"), waiting.out());
            assertTrue(waiting.out().contains("approval  waiting before step 2"), waiting.out());
            assertTrue(
                    waiting.out().matches("(?s).*PASS error-rate: [a-z ]+: canary \\d+(\\.\\d+)?% \\(\\d+/\\d+\\).*"),
                    waiting.out());

            Run approved = tollgate("approve", id, "--as", "tester", "--reason", "dashboards look fine");
            assertEquals(0, approved.exitCode(), approved.err());
            assertTrue(approved.out().contains("approved by tester"), approved.out());

            DeploymentRecord ended = awaitEnd(id);
            assertEquals(DeploymentStatus.PROMOTED, ended.status(), ended.reason());
            assertTrue(
                    ended.timeline().stream()
                            .anyMatch(entry -> "Approved".equals(entry.state())
                                    && entry.message().equals("approved by tester: dashboards look fine")),
                    ended.timeline().toString());
            Run status = tollgate("status", id);
            assertTrue(status.out().contains("status    PROMOTED"), status.out());
            assertTrue(status.out().contains("approval answered: APPROVE by tester"), status.out());
            assertTrue(
                    status.out().contains("step 2/3: canary at 50 %"),
                    "the next step came after the approval: " + status.out());

            // A rule on the service hears the gate like every other fact (docs/events.md).
            List<JsonNode> events = bus.eventsThrough("Deployment Promoted");
            assertTrue(
                    events.stream()
                            .anyMatch(event -> "Deployment Awaiting Approval"
                                    .equals(event.path("detail-type").asText())),
                    events.toString());
            events.forEach(event -> assertEquals(
                    List.of(), EventSchema.violations(Json.write(event.path("detail"))), event.toString()));
        }
    }

    @Test
    void anAbortAtTheApprovalGateRollsBackAtOnceAndSaysWho() throws Exception {
        try (ScenarioRun.Release release = release("cli-abort-gate")) {
            String id = release.deploymentId();
            assertEquals(
                    0,
                    tollgate(
                                    "start",
                                    "--spec",
                                    specFile(DemoSpecs.withApproval(release.spec(), 0))
                                            .toString())
                            .exitCode());
            awaitRecord(id, record -> record.awaitingApprovalStep() != null, "waited for approval");

            Run aborted = tollgate("abort", id, "--as", "tester", "--reason", "wrong build");
            assertEquals(0, aborted.exitCode(), aborted.err());
            assertTrue(aborted.out().contains("rolling back now"), aborted.out());

            DeploymentRecord ended = awaitEnd(id);
            assertEquals(DeploymentStatus.ROLLED_BACK, ended.status());
            assertEquals("approval refused: aborted by tester: wrong build", ended.reason());
            assertEquals(OperatorRequest.Kind.ABORT, ended.operatorRequest().kind());
            assertEquals("tester", ended.operatorRequest().requestedBy());
            assertEquals(TrafficWeights.canaryAt(0), weights(release.ecsAlbFixture()));
        }
    }

    @Test
    void promoteAtTheApprovalGateSkipsTheRemainingStepsAtOnce() throws Exception {
        try (ScenarioRun.Release release = release("cli-promote-gate")) {
            String id = release.deploymentId();
            assertEquals(
                    0,
                    tollgate(
                                    "start",
                                    "--spec",
                                    specFile(DemoSpecs.withApproval(release.spec(), 0))
                                            .toString())
                            .exitCode());
            awaitRecord(id, record -> record.awaitingApprovalStep() != null, "waited for approval");

            Run promoted = tollgate("promote", id, "--as", "tester", "--reason", "verified by hand");
            assertEquals(0, promoted.exitCode(), promoted.err());
            assertTrue(promoted.out().contains("promoting now"), promoted.out());

            DeploymentRecord ended = awaitEnd(id);
            assertEquals(DeploymentStatus.PROMOTED, ended.status());
            assertEquals("promoted by tester: verified by hand", ended.reason());
            assertEquals(TrafficWeights.canaryAt(100), weights(release.ecsAlbFixture()));
            Run status = tollgate("status", id);
            assertTrue(status.out().contains("approval answered: PROMOTE by tester"), status.out());
            assertFalse(status.out().contains("step 2/3"), "no step after the gate was shifted: " + status.out());
        }
    }

    @Test
    void promoteDuringABakeSkipsTheRemainingStepsAtTheNextTick() throws Exception {
        try (ScenarioRun.Release release = release("cli-promote")) {
            String id = release.deploymentId();
            ((ObjectNode) release.spec().path("steps").get(0))
                    .put("bakeSeconds", 300)
                    .put("maxBakeSeconds", 600);
            assertEquals(
                    0,
                    tollgate("start", "--spec", specFile(release.spec()).toString())
                            .exitCode());
            awaitRecord(
                    id,
                    record -> record.timeline().stream().anyMatch(entry -> "Decide".equals(entry.state())),
                    "ticked");

            Run promoted = tollgate("promote", id, "--as", "tester", "--reason", "hotfix, verified by hand");
            assertEquals(0, promoted.exitCode(), promoted.err());
            assertTrue(promoted.out().contains("promotes at the next tick"), promoted.out());

            DeploymentRecord ended = awaitEnd(id);
            assertEquals(DeploymentStatus.PROMOTED, ended.status());
            assertEquals("promoted by tester: hotfix, verified by hand", ended.reason());
            assertEquals(TrafficWeights.canaryAt(100), weights(release.ecsAlbFixture()));
            assertFalse(tollgate("status", id).out().contains("step 2/3"), "no step after the first was shifted");
        }
    }

    @Test
    void abortDuringABakeRollsBackAtTheNextTick() throws Exception {
        try (ScenarioRun.Release release = release("cli-abort")) {
            String id = release.deploymentId();
            ((ObjectNode) release.spec().path("steps").get(0))
                    .put("bakeSeconds", 300)
                    .put("maxBakeSeconds", 600);
            assertEquals(
                    0,
                    tollgate("start", "--spec", specFile(release.spec()).toString())
                            .exitCode());
            awaitRecord(
                    id,
                    record -> record.timeline().stream().anyMatch(entry -> "Decide".equals(entry.state())),
                    "ticked");

            Run aborted = tollgate("abort", id, "--as", "tester");
            assertEquals(0, aborted.exitCode(), aborted.err());

            DeploymentRecord ended = awaitEnd(id);
            assertEquals(DeploymentStatus.ROLLED_BACK, ended.status());
            assertEquals("aborted by tester", ended.reason());
            assertTrue(
                    ended.timeline().stream()
                            .anyMatch(entry -> "Decide".equals(entry.state())
                                    && entry.message().startsWith("ROLLBACK: aborted by tester")),
                    ended.timeline().toString());

            Run again = tollgate("abort", id, "--as", "tester");
            assertEquals(TollgateCommand.REFUSED, again.exitCode());
            assertTrue(again.err().contains("is not running: it ended ROLLED_BACK"), again.err());
        }
    }

    @Test
    void listShowsDeploymentsAndRefusalsAreOneLine() throws Exception {
        try (ScenarioRun.Release release = release("cli-list")) {
            String id = release.deploymentId();
            assertEquals(
                    0,
                    tollgate(
                                    "start",
                                    "--spec",
                                    specFile(DemoSpecs.withApproval(release.spec(), 0))
                                            .toString())
                            .exitCode());
            awaitRecord(id, record -> record.awaitingApprovalStep() != null, "waited for approval");

            Run list = tollgate("list", "--limit", "50");
            assertEquals(0, list.exitCode(), list.err());
            assertTrue(
                    list.out()
                            .lines()
                            .anyMatch(line -> line.startsWith(id) && line.contains("RUNNING (awaiting approval)")),
                    list.out());

            Run again = tollgate("start", "--spec", specFile(release.spec()).toString());
            assertEquals(0, again.exitCode(), "the same spec again finds the running execution: " + again.err());
            Run other = tollgate(
                    "start",
                    "--spec",
                    specFile(release.spec().deepCopy().put("override", true)).toString());
            assertEquals(TollgateCommand.REFUSED, other.exitCode(), "same id, other spec: " + other.out());
            assertTrue(other.err().contains("give this release a new deploymentId"), other.err());

            tollgate("abort", id, "--as", "tester", "--reason", "end of test");
        }
        Path invalid = Files.createTempFile("invalid-spec", ".json");
        Files.writeString(invalid, RepositoryFilesForTests.event("statemachine-invalid.json"));
        Run refused = tollgate("start", "--spec", invalid.toString());
        assertEquals(TollgateCommand.INVALID, refused.exitCode());
        assertTrue(refused.err().contains("$.steps[1].weight"), refused.err());

        Run unknown = tollgate("approve", "no-such-deployment", "--as", "tester");
        assertEquals(TollgateCommand.REFUSED, unknown.exitCode());
        assertEquals(
                "tollgate: no deployment no-such-deployment in the deployments table",
                unknown.err().trim());
    }
}
