package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.json.Json;
import dev.tollgate.release.ReleaseRecord;
import dev.tollgate.release.ReleaseRecord.Status;
import dev.tollgate.release.ReleaseRecord.TargetState;
import dev.tollgate.release.ReleaseRecord.TargetStatus;
import dev.tollgate.spec.ReleaseSpec.OnFailure;
import dev.tollgate.traffic.TrafficWeights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Whole releases in waves on the local stack (docs/waves.md): the release state machine's real definition starting the
 * deployment state machine's for each target, in Tollgate's region and in others of the one moto through roles; each
 * target's ECS service, load balancer, alarm and traffic where it runs.
 */
@Execution(ExecutionMode.CONCURRENT)
class ReleaseIT {

    private static final Placement IRELAND = Placement.of("eu-west-1", LocalStack.ACCOUNT, "ireland");
    private static final Placement OREGON = Placement.of("us-west-2", LocalStack.ACCOUNT, "oregon");

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    private static ReleaseRun.Result release(
            String service, List<List<ReleaseRun.TargetPlan>> waves, OnFailure onFailure) throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ReleaseRun.Result result = new ReleaseRun(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(service, waves, onFailure, 31);
        System.out.println(printed.toString(StandardCharsets.UTF_8));
        return result;
    }

    private static ReleaseRun.TargetPlan at(Placement placement, Scenario scenario) {
        return new ReleaseRun.TargetPlan(placement, scenario);
    }

    private static DynamoDeploymentStore store() {
        return new DynamoDeploymentStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
    }

    private static LocalStack where(ScenarioRun.Release target, List<Placement> placements, int index) {
        Placement placement = placements.get(index);
        return placement == null ? stack : stack.at(placement);
    }

    private static void assertEveryLockReleased(ReleaseRecord record) {
        for (TargetState target : record.targets()) {
            assertTrue(store().lockHolder(target.serviceLock()).isEmpty(), target.serviceLock() + " is released");
        }
    }

    private static DescribeExecutionResponse child(String deploymentId) {
        return stack.sfn()
                .describeExecution(
                        describe -> describe.executionArn(LocalStack.stateMachineArn(LocalStack.STATE_MACHINE_NAME)
                                        .replace(":stateMachine:", ":execution:")
                                + ":" + deploymentId));
    }

    @Test
    void promotesAThreeRegionReleaseWaveByWaveAndClosesEveryWindowAtTheEnd() throws Exception {
        BusSubscription bus = BusSubscription.toService(stack, "rel-good");
        List<Placement> placements = java.util.Arrays.asList(null, IRELAND, OREGON);

        ReleaseRun.Result result = release(
                "rel-good",
                List.of(
                        List.of(at(null, Scenario.GOOD)),
                        List.of(at(IRELAND, Scenario.GOOD), at(OREGON, Scenario.GOOD))),
                OnFailure.ROLLBACK_ALL);

        assertEquals(
                ExecutionStatus.SUCCEEDED,
                result.execution().status(),
                result.execution().error() + ": " + result.execution().cause());
        ReleaseRecord record = result.releaseRecord();
        assertEquals(Status.PROMOTED, record.status(), record.toString());
        assertTrue(
                record.targets().stream().allMatch(target -> target.status() == TargetStatus.KEPT), record.toString());
        for (int index = 0; index < 3; index++) {
            TargetState target = record.targets().get(index);
            assertEquals(
                    ExecutionStatus.SUCCEEDED,
                    child(target.deploymentId()).status(),
                    target.deploymentId() + " ran to its end");
            assertEquals(
                    TrafficWeights.canaryAt(100),
                    LocalTargets.greenWeights(
                            where(result.targets().get(index), placements, index),
                            result.targets().get(index).ecsAlbFixture()),
                    target.deploymentId() + " serves the release");
        }
        assertEquals(
                List.of("rel-good", "rel-good@eu-west-1", "rel-good@us-west-2"),
                record.targets().stream().map(TargetState::serviceLock).toList());
        assertEveryLockReleased(record);
        List<String> releaseEvents = bus.eventsThrough("Release Promoted").stream()
                .map(event -> event.path("detail-type").asText())
                .filter(type -> type.startsWith("Release "))
                .toList();
        assertEquals(
                List.of(
                        "Release Wave Started",
                        "Release Wave Promoted",
                        "Release Wave Started",
                        "Release Wave Promoted",
                        "Release Promoted"),
                releaseEvents);

        TollgateCli.Run status = TollgateCli.run(stack.moto().endpoint().toString(), "status", result.releaseId());
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.out().contains("status    PROMOTED"), status.out());
        assertTrue(status.out().contains("wave 2  PROMOTED"), status.out());
        assertTrue(status.out().contains(result.releaseId() + "-w2-2"), status.out());
        java.nio.file.Path page =
                java.nio.file.Files.createTempDirectory("release-report").resolve("release.html");
        TollgateCli.Run report = TollgateCli.run(
                stack.moto().endpoint().toString(), "report", result.releaseId(), "--out", page.toString());
        assertEquals(0, report.exitCode(), report.err());
        String html = java.nio.file.Files.readString(page);
        for (TargetState target : record.targets()) {
            assertTrue(
                    html.contains("<a href=\"" + target.deploymentId() + ".html\">"), "links " + target.deploymentId());
            assertTrue(
                    java.nio.file.Files.readString(page.resolveSibling(target.deploymentId() + ".html"))
                            .contains("Rollout report"),
                    "each target's own report beside it");
        }
    }

    @Test
    void aFailureInWaveTwoUnderRollbackAllSendsWaveTwoBackAndThenWaveOne() throws Exception {
        List<Placement> placements = java.util.Arrays.asList(null, IRELAND, OREGON);

        ReleaseRun.Result result = release(
                "rel-all",
                List.of(
                        List.of(at(null, Scenario.GOOD)),
                        List.of(at(IRELAND, Scenario.BAD_ERRORS), at(OREGON, Scenario.GOOD))),
                OnFailure.ROLLBACK_ALL);

        assertEquals(ExecutionStatus.FAILED, result.execution().status());
        assertEquals("ReleaseHalted", result.execution().error());
        ReleaseRecord record = result.releaseRecord();
        assertEquals(Status.HALTED, record.status());
        assertTrue(record.reason().contains(result.releaseId() + "-w2-1 (rel-all in eu-west-1)"), record.reason());
        assertEquals(TargetStatus.ROLLED_BACK, record.targets().get(0).status(), "wave 1 sent back: " + record);
        assertEquals(TargetStatus.NOT_PROMOTED, record.targets().get(1).status(), "the failed target: " + record);
        assertTrue(
                Set.of(TargetStatus.ROLLED_BACK, TargetStatus.NOT_PROMOTED)
                        .contains(record.targets().get(2).status()),
                "its sibling, sent back or stopped before its promotion: " + record);
        for (int index = 0; index < 3; index++) {
            assertEquals(
                    TrafficWeights.canaryAt(0),
                    LocalTargets.greenWeights(
                            where(result.targets().get(index), placements, index),
                            result.targets().get(index).ecsAlbFixture()),
                    record.targets().get(index).deploymentId() + " is back on the old version");
            assertFalse(child(record.targets().get(index).deploymentId()).status() == ExecutionStatus.RUNNING);
        }
        assertEveryLockReleased(record);
    }

    @Test
    void underStopTheFailedWaveGoesBackAndTheWaveBeforeKeepsTheRelease() throws Exception {
        ReleaseRun.Result result = release(
                "rel-stop",
                List.of(List.of(at(null, Scenario.GOOD)), List.of(at(IRELAND, Scenario.BAD_ERRORS))),
                OnFailure.STOP);

        assertEquals(ExecutionStatus.FAILED, result.execution().status());
        ReleaseRecord record = result.releaseRecord();
        assertEquals(Status.HALTED, record.status());
        assertEquals(TargetStatus.KEPT, record.targets().get(0).status(), record.toString());
        assertEquals(TargetStatus.NOT_PROMOTED, record.targets().get(1).status(), record.toString());
        assertEquals(
                TrafficWeights.canaryAt(100),
                LocalTargets.greenWeights(stack, result.targets().get(0).ecsAlbFixture()),
                "wave 1 keeps the release");
        assertEquals(
                TrafficWeights.canaryAt(0),
                LocalTargets.greenWeights(
                        stack.at(IRELAND), result.targets().get(1).ecsAlbFixture()));
        assertEquals(
                ExecutionStatus.SUCCEEDED,
                child(record.targets().get(0).deploymentId()).status(),
                "its window closed, it ended");
        assertEveryLockReleased(record);
    }

    @Test
    void aHeldLockFailsItsTargetWithoutDeployingIt() throws Exception {
        store().acquire(
                        "rel-locked",
                        "rel-locked-hotfix",
                        "arn:aws:states:us-east-1:123456789012:execution:x:hotfix",
                        Instant.now());
        try {
            ReleaseRun.Result result = release(
                    "rel-locked",
                    List.of(List.of(at(null, Scenario.GOOD)), List.of(at(IRELAND, Scenario.GOOD))),
                    OnFailure.ROLLBACK_ALL);

            assertEquals(ExecutionStatus.FAILED, result.execution().status());
            ReleaseRecord record = result.releaseRecord();
            assertEquals(TargetStatus.NOT_PROMOTED, record.targets().get(0).status());
            assertTrue(
                    record.targets().get(0).reason().contains("held by deployment rel-locked-hotfix"),
                    record.toString());
            assertEquals(TargetStatus.PENDING, record.targets().get(1).status(), "wave 2 never started");
            for (TargetState target : record.targets()) {
                assertTrue(noExecution(target.deploymentId()), target.deploymentId() + " was never started");
            }
            assertEquals(
                    "rel-locked-hotfix",
                    store().lockHolder("rel-locked").orElseThrow().deploymentId(),
                    "the holder keeps its lock");
        } finally {
            store().release(
                            "rel-locked",
                            "rel-locked-hotfix",
                            "arn:aws:states:us-east-1:123456789012:execution:x:hotfix");
        }
    }

    @Test
    void aTargetWaitingForItsLockIsAbortedWithTheReleaseByTollgateAbort() throws Exception {
        store().acquire(
                        "rel-wait",
                        "rel-wait-hotfix",
                        "arn:aws:states:us-east-1:123456789012:execution:x:hotfix-wait",
                        Instant.now());
        try {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            ReleaseRun run = new ReleaseRun(stack, new PrintStream(printed, true, StandardCharsets.UTF_8));
            CompletableFuture<ReleaseRun.Result> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return run.run(
                            "rel-wait",
                            List.of(List.of(at(null, Scenario.GOOD))),
                            OnFailure.ROLLBACK_ALL,
                            5,
                            request -> request.put("onLockHeld", "WAIT"),
                            ReleaseRun.FOLLOW_FOR);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            });
            String releaseId = awaitLockChecked("rel-wait");

            TollgateCli.Run abort = TollgateCli.run(
                    stack.moto().endpoint().toString(), "abort", releaseId, "--reason", "wrong build", "--as", "alice");
            ReleaseRun.Result result = running.get();
            System.out.println(printed.toString(StandardCharsets.UTF_8));

            assertEquals(0, abort.exitCode(), abort.err());
            assertTrue(abort.out().contains(releaseId + ": aborted"), abort.out());
            ReleaseRecord record = result.releaseRecord();
            assertEquals(Status.HALTED, record.status());
            assertEquals("alice", record.abortedBy());
            assertTrue(record.reason().contains("aborted by alice: wrong build"), record.reason());
            assertTrue(noExecution(record.targets().get(0).deploymentId()), "never deployed while the lock was held");
        } finally {
            store().release(
                            "rel-wait",
                            "rel-wait-hotfix",
                            "arn:aws:states:us-east-1:123456789012:execution:x:hotfix-wait");
        }
    }

    /** The id of the release of {@code service} once it has found its first target's lock held at least once. */
    private static String awaitLockChecked(String service) throws InterruptedException {
        ReleaseRun reader = new ReleaseRun(stack, new PrintStream(new ByteArrayOutputStream()));
        for (int attempt = 0; attempt < 600; attempt++) {
            for (var execution : stack.sfn()
                    .listExecutions(list -> list.stateMachineArn(stack.releaseStateMachineArn()))
                    .executions()) {
                if (execution.name().startsWith(service + "-")) {
                    var record = reader.releases().find(execution.name());
                    if (record.isPresent() && record.get().targets().get(0).lockChecks() > 0) {
                        return execution.name();
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the release of " + service + " never found its lock held");
    }

    @Test
    void aChildExecutionThatDiesEndsTheReleaseHaltedAndSaysWhatToCheck() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ReleaseRun run = new ReleaseRun(stack, new PrintStream(printed, true, StandardCharsets.UTF_8));
        CompletableFuture<ReleaseRun.Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run.run(
                        "rel-crash",
                        List.of(List.of(at(null, Scenario.GOOD)), List.of(at(IRELAND, Scenario.GOOD))),
                        OnFailure.ROLLBACK_ALL,
                        7,
                        request -> request,
                        ReleaseRun.FOLLOW_FOR);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
        });
        String child = awaitChildRunning("rel-crash");
        Thread.sleep(3_000);
        stack.sfn()
                .stopExecution(stop -> stop.executionArn(child).error("Crash").cause("killed by the test"));
        Instant stopped = Instant.now();

        ReleaseRun.Result result = running.get();
        System.out.println(printed.toString(StandardCharsets.UTF_8));

        assertEquals(ExecutionStatus.FAILED, result.execution().status());
        assertTrue(
                Duration.between(stopped, result.execution().stopDate()).toSeconds() < 120,
                "the release heard of its child's end at once, not at a timeout");
        ReleaseRecord record = result.releaseRecord();
        assertEquals(Status.HALTED, record.status());
        TargetState crashed = record.targets().get(0);
        assertEquals(TargetStatus.NOT_PROMOTED, crashed.status());
        assertTrue(
                crashed.reason().contains("ABORTED") && crashed.reason().contains("tollgate lock"), crashed.reason());
        assertTrue(noExecution(record.targets().get(1).deploymentId()), "wave 2 never started");
    }

    private static String awaitChildRunning(String service) throws InterruptedException {
        for (int attempt = 0; attempt < 1200; attempt++) {
            for (var execution : stack.sfn()
                    .listExecutions(list ->
                            list.stateMachineArn(stack.stateMachineArn()).statusFilter(ExecutionStatus.RUNNING))
                    .executions()) {
                if (execution.name().startsWith(service + "-")
                        && execution.name().endsWith("-w1-1")) {
                    return execution.executionArn();
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no target of " + service + " ever ran");
    }

    @Test
    void aBadReleaseIsRefusedWithEveryProblemBeforeAnythingMoves() throws Exception {
        ObjectNode request = (ObjectNode) Json.tree(RepositoryFilesForTests.event("release-three-regions.json"));
        request.put("releaseId", "rel-bad-" + System.currentTimeMillis());
        ((ObjectNode) request.get("waves").get(0)).putArray("targets");
        ObjectNode twice =
                (ObjectNode) request.get("waves").get(1).get("targets").get(1);
        twice.put("region", "us-east-1");
        twice.remove("roleArn");
        ObjectNode moon = ((com.fasterxml.jackson.databind.node.ArrayNode)
                        request.get("waves").get(1).get("targets"))
                .addObject();
        moon.put("region", "moon-1");
        moon.put("roleArn", "deployer");
        moon.set("target", request.get("waves").get(1).get("targets").get(0).get("target"));
        ReleaseRun run = new ReleaseRun(stack, new PrintStream(new ByteArrayOutputStream()));

        String execution = run.start(request.path("releaseId").asText(), request);
        DescribeExecutionResponse ended =
                run.follow(request.path("releaseId").asText(), execution, Duration.ofMinutes(3));

        assertEquals(ExecutionStatus.FAILED, ended.status());
        assertEquals("dev.tollgate.errors.InvalidSpecException", ended.error(), ended.cause());
        for (String problem : List.of(
                "$.waves[0].targets: the wave is empty",
                "$.waves[1].targets[1].region: deploys checkout in " + "us-east-1 again",
                "$.waves[1].targets[2].region: 'moon-1' is not a region",
                "$.waves[1].targets[2].roleArn: 'deployer' " + "is not an IAM role ARN")) {
            assertTrue(ended.cause().contains(problem), problem + " in " + ended.cause());
        }
        assertTrue(
                run.releases().find(request.path("releaseId").asText()).isEmpty(), "nothing recorded, nothing started");
    }

    private static boolean noExecution(String deploymentId) {
        try {
            child(deploymentId);
            return false;
        } catch (ExecutionDoesNotExistException none) {
            return true;
        }
    }
}
