package dev.tollgate.local;

import static dev.tollgate.local.OperationsCliIT.awaitEnd;
import static dev.tollgate.local.OperationsCliIT.awaitRecord;
import static dev.tollgate.local.OperationsCliIT.specFile;
import static dev.tollgate.local.OperationsCliIT.store;
import static dev.tollgate.local.OperationsCliIT.tollgate;
import static dev.tollgate.local.OperationsCliIT.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.traffic.TrafficWeights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/**
 * The rollback window on the local stack, through the tollgate command: after the promotion the old
 * version is kept able to serve, {@code tollgate rollback SERVICE} inside the window sends all traffic
 * back to it at once, and after the window the command is refused and the old version is retired.
 */
@Execution(ExecutionMode.CONCURRENT)
class RollbackWindowIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        OperationsCliIT.startStack();
        stack = SharedLocalStack.get();
    }

    private static int desiredCount(EcsAlbFixture fixture, String service) {
        return LocalTargets.service(stack, fixture, service).desiredCount();
    }

    /** Starts the release with a rollback window of {@code seconds} through the command; answers its service. */
    private static String startWithWindow(ScenarioRun.Release release, int seconds) throws java.io.IOException {
        assertEquals(
                0,
                tollgate(
                                "start",
                                "--spec",
                                specFile(DemoSpecs.withRollbackWindow(release.spec(), seconds))
                                        .toString())
                        .exitCode());
        return release.spec().path("service").asText();
    }

    private static DeploymentRecord awaitWindow(String deploymentId) throws InterruptedException {
        return awaitRecord(deploymentId, record -> record.rollbackWindowUntil() != null, "opened its rollback window");
    }

    @Test
    void insideTheWindowRollbackSendsAllTrafficBackToTheStillServingOldVersionAtOnce() throws Exception {
        try (ScenarioRun.Release release = OperationsCliIT.release("rbw-ecs")) {
            String id = release.deploymentId();
            EcsAlbFixture fixture = release.ecsAlbFixture();
            String service = startWithWindow(release, 600);

            awaitWindow(id);
            assertEquals(TrafficWeights.canaryAt(100), weights(fixture), "promoted");
            assertEquals(
                    2,
                    desiredCount(fixture, fixture.blueService()),
                    "the old side keeps its task count through the window");
            TollgateCli.Run status = tollgate("status", id);
            assertTrue(status.out().contains("status    RUNNING"), status.out());
            assertTrue(status.out().contains("rollback  promoted; window open until "), status.out());
            assertTrue(status.out().contains("promoted, rollback window open"), status.out());

            TollgateCli.Run rolledBack =
                    tollgate("rollback", service, "--as", "tester", "--reason", "errors after the nightly job");
            assertEquals(0, rolledBack.exitCode(), rolledBack.err());
            assertTrue(rolledBack.out().startsWith(id + ": rolling back now"), rolledBack.out());

            DeploymentRecord ended = awaitEnd(id);
            assertEquals(DeploymentStatus.ROLLED_BACK, ended.status(), ended.reason());
            assertEquals(
                    "after the promotion, in the rollback window: rolled back by tester: errors after the nightly job",
                    ended.reason());
            assertEquals(TrafficWeights.canaryAt(0), weights(fixture), "all traffic back on the old side");
            assertEquals(
                    2, desiredCount(fixture, fixture.blueService()), "the old side served at once, with its tasks");
            assertEquals(0, desiredCount(fixture, fixture.greenService()), "the new version is stopped");
            assertTrue(store().lockHolder(service).isEmpty());

            TollgateCli.Run again = tollgate("rollback", service, "--as", "tester", "--reason", "twice");
            assertEquals(1, again.exitCode());
            assertTrue(again.err().contains("the rollback window of " + id + " closed at"), again.err());

            Path report = Files.createTempFile("tollgate-report", ".html");
            assertEquals(0, tollgate("report", id, "--out", report.toString()).exitCode());
            String page = Files.readString(report);
            assertTrue(
                    page.contains("KeepRollbackWindowOpen") && page.contains("DescribeRollbackInWindow"),
                    "the report shows the window");
        }
    }

    @Test
    void afterTheWindowRollbackIsRefusedAndTheOldVersionIsRetired() throws Exception {
        try (ScenarioRun.Release release = OperationsCliIT.release("rbw-closed")) {
            String id = release.deploymentId();
            EcsAlbFixture fixture = release.ecsAlbFixture();
            String service = startWithWindow(release, 3);

            DeploymentRecord ended = awaitEnd(id);
            assertEquals(DeploymentStatus.PROMOTED, ended.status(), ended.reason());
            assertTrue(ended.reason().contains("the rollback window closed with no rollback"), ended.reason());
            // A 3 s window may end before the function has parked its token; either way it closed unused.
            assertTrue(
                    ended.timeline().stream()
                            .anyMatch(entry -> "Promote".equals(entry.state())
                                    && entry.message().contains("kept able to serve for the 3 s rollback window")),
                    ended.timeline().toString());
            awaitRecord(
                    id,
                    record -> record.timeline().stream().anyMatch(entry -> "RetireOldVersion".equals(entry.state())),
                    "retired");
            assertEquals(0, desiredCount(fixture, fixture.blueService()), "retired once the window closed");

            TollgateCli.Run refused = tollgate("rollback", service, "--as", "tester", "--reason", "too late");
            assertEquals(1, refused.exitCode());
            assertTrue(refused.err().contains("the rollback window of " + id + " closed at "), refused.err());
            assertTrue(refused.err().contains("(it ended PROMOTED)"), refused.err());
            assertEquals(TrafficWeights.canaryAt(100), weights(fixture), "nothing moved");
        }
    }

    @Test
    void onALambdaAliasTheWindowKeepsThePreviousVersionAndRollbackPointsTheAliasBackAtIt() throws Exception {
        ScenarioRun run = new ScenarioRun(stack, new PrintStream(new ByteArrayOutputStream()));
        try (ScenarioRun.Release release = run.prepare(Scenario.GOOD, DemoTarget.LAMBDA_ALIAS, "rbw-lambda", 13)) {
            String id = release.deploymentId();
            LambdaAliasFixture function = (LambdaAliasFixture) release.fixture();
            String service = startWithWindow(release, 600);

            awaitWindow(id);
            assertTrue(
                    !function.liveVersion()
                            .equals(LocalTargets.alias(stack, function).functionVersion()),
                    "promoted");

            TollgateCli.Run rolledBack = tollgate("rollback", service, "--as", "tester", "--reason", "cold starts");
            assertEquals(0, rolledBack.exitCode(), rolledBack.err());

            DeploymentRecord ended = awaitEnd(id);
            assertEquals(DeploymentStatus.ROLLED_BACK, ended.status(), ended.reason());
            GetAliasResponse alias = LocalTargets.alias(stack, function);
            assertEquals(function.liveVersion(), alias.functionVersion(), "the previous version serves again");
            assertTrue(
                    alias.routingConfig() == null
                            || alias.routingConfig().additionalVersionWeights().isEmpty(),
                    alias.toString());
        }
    }
}
