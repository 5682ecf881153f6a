package dev.tollgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.ApprovalNotPendingException;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.DeploymentIdInUseException;
import dev.tollgate.errors.DeploymentNotFoundException;
import dev.tollgate.errors.DeploymentNotRunningException;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.fakes.FakeDeploymentExecutions;
import dev.tollgate.fakes.Histories;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.spec.SpecValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsServiceTest {

    private static final String ID = "checkout-2026-11-24-v42";

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final FakeDeploymentExecutions executions = new FakeDeploymentExecutions();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T11:00:00Z"));
    private final OpsService ops = new OpsService(store, executions, executions, new SpecValidator(), clock);

    private String running() {
        String executionArn = executions.start(ID, "{}").executionArn();
        new LockService(store, clock).acquire("checkout", ID, executionArn);
        return executionArn;
    }

    private void waitingForApproval(int stepIndex, String token) {
        store.awaitApproval(ID, stepIndex, token);
        executions.parkToken(token);
    }

    @Test
    void startsAValidSpecAsAnExecutionNamedAfterItsDeploymentId() {
        OpsService.Started started = ops.start(Json.tree(SampleEvents.read("statemachine-ecs-alb.json")));

        assertEquals(ID, started.deploymentId());
        assertEquals(executions.executionArn(ID), started.executionArn());
        assertEquals(
                Json.tree(SampleEvents.read("statemachine-ecs-alb.json")),
                Json.tree(executions.input(started.executionArn())),
                "the spec as given: ValidateRequest normalises it again in the state machine");
    }

    @Test
    void startingTheSameSpecTwiceWhileItRunsFindsTheRunningExecution() {
        JsonNode spec = Json.tree(SampleEvents.read("statemachine-ecs-alb.json"));

        ops.start(spec);
        ops.start(spec);

        assertEquals(1, executions.executionCount());
    }

    @Test
    void refusesAnIdUsedBeforeByAnotherSpec() {
        ops.start(Json.tree(SampleEvents.read("statemachine-ecs-alb.json")));
        ObjectNode changed = (ObjectNode) Json.tree(SampleEvents.read("statemachine-ecs-alb.json"));
        changed.put("override", true);

        DeploymentIdInUseException refused = assertThrows(DeploymentIdInUseException.class, () -> ops.start(changed));
        assertTrue(refused.getMessage().contains("give this release a new deploymentId"), refused.getMessage());
    }

    @Test
    void anInvalidSpecStartsNothingAndListsEveryProblem() {
        InvalidSpecException invalid = assertThrows(
                InvalidSpecException.class, () -> ops.start(Json.tree(SampleEvents.read("statemachine-invalid.json"))));

        assertTrue(invalid.violations().size() > 3, invalid.getMessage());
        assertEquals(0, executions.startCalls());
    }

    @Test
    void approvingAnswersTheGateAndRecordsWhoAndWhen() {
        running();
        waitingForApproval(2, "token-1");

        OperatorAction action = ops.approve(ID, "alice", "dashboards look fine");

        assertTrue(action.answeredGate());
        assertEquals(1, executions.gateAnswers().size());
        assertTrue(
                executions.gateAnswers().get(0).contains("\"action\":\"APPROVE\""),
                executions.gateAnswers().toString());
        assertTrue(executions.gateAnswers().get(0).contains("\"decidedBy\":\"alice\""));
        DeploymentRecord record = store.find(ID).orElseThrow();
        assertEquals(null, record.awaitingApprovalStep(), "the token is cleared");
        assertTrue(store.approvalToken(ID).isEmpty());
        var entry = record.timeline().get(record.timeline().size() - 1);
        assertEquals("Approved", entry.state());
        assertEquals("approved by alice: dashboards look fine", entry.message());
        assertEquals(clock.instant(), entry.at());
        assertEquals(2, entry.stepIndex());
    }

    @Test
    void approvingWithoutAWaitingGateIsRefused() {
        running();

        ApprovalNotPendingException refused =
                assertThrows(ApprovalNotPendingException.class, () -> ops.approve(ID, "alice", null));
        assertTrue(refused.getMessage().contains("not waiting for approval"));
    }

    @Test
    void approvingAGateSomeoneElseAnsweredMeanwhileIsRefusedAndForgetsTheToken() {
        running();
        store.awaitApproval(ID, 1, "stale-token");

        assertThrows(ApprovalNotPendingException.class, () -> ops.approve(ID, "bob", null));
        assertTrue(store.approvalToken(ID).isEmpty());
    }

    @Test
    void abortingDuringABakeLeavesARequestForTheNextTick() {
        running();
        clock.advance(Duration.ofMinutes(3));

        OperatorAction action = ops.abort(ID, "alice", "checkout errors in support tickets");

        assertFalse(action.answeredGate());
        OperatorRequest request = store.find(ID).orElseThrow().operatorRequest();
        assertEquals(OperatorRequest.Kind.ABORT, request.kind());
        assertEquals("alice", request.requestedBy());
        assertEquals(clock.instant(), request.requestedAt());
        assertEquals("checkout errors in support tickets", request.reason());
        assertTrue(executions.gateAnswers().isEmpty());
        assertTrue(action.message().contains("next tick"));
    }

    @Test
    void abortingAtAGateRejectsItWithAbortedSoTheRollbackStartsNow() {
        running();
        waitingForApproval(1, "token-2");

        OperatorAction action = ops.abort(ID, "alice", "wrong build");

        assertTrue(action.answeredGate());
        assertEquals(
                "failure Aborted: aborted by alice: wrong build",
                executions.gateAnswers().get(0));
        assertEquals(
                OperatorRequest.Kind.ABORT,
                store.find(ID).orElseThrow().operatorRequest().kind(),
                "the request stays too, in case the gate had just been answered");
        assertTrue(store.approvalToken(ID).isEmpty());
    }

    @Test
    void promotingAtAGateAnswersItWithAPromotion() {
        running();
        waitingForApproval(1, "token-3");

        OperatorAction action = ops.promote(ID, "alice", null);

        assertTrue(action.answeredGate());
        assertTrue(
                executions.gateAnswers().get(0).contains("\"action\":\"PROMOTE\""),
                executions.gateAnswers().toString());
        assertTrue(
                executions.gateAnswers().get(0).contains("\"reason\":\"promoted by alice\""),
                executions.gateAnswers().toString());
        assertEquals(
                OperatorRequest.Kind.PROMOTE,
                store.find(ID).orElseThrow().operatorRequest().kind());
        assertEquals(
                "PromoteRequested",
                store.find(ID).orElseThrow().timeline().get(1).state());
    }

    @Test
    void aFinishedDeploymentCannotBeSteered() {
        running();
        store.finish(ID, DeploymentStatus.PROMOTED, "all passed", clock.instant());

        DeploymentNotRunningException refused =
                assertThrows(DeploymentNotRunningException.class, () -> ops.abort(ID, "alice", null));
        assertTrue(refused.getMessage().contains("PROMOTED"), refused.getMessage());
        assertThrows(DeploymentNotRunningException.class, () -> ops.promote(ID, "alice", null));
        assertThrows(DeploymentNotFoundException.class, () -> ops.approve("nope", "alice", null));
    }

    @Test
    void refusesANoteOrANameLongerThanTheExecutionsStateHasRoomFor() {
        running();
        waitingForApproval(0, "token-1");

        BadRequestException longNote =
                assertThrows(BadRequestException.class, () -> ops.approve(ID, "alice", "x".repeat(1_001)));
        BadRequestException twoLines =
                assertThrows(BadRequestException.class, () -> ops.abort(ID, "alice", "first\nsecond"));
        BadRequestException longName =
                assertThrows(BadRequestException.class, () -> ops.promote(ID, "a".repeat(257), null));

        assertEquals(
                "--note must be at most 1000 characters on one line, found 1001 characters", longNote.getMessage());
        assertTrue(
                twoLines.getMessage().startsWith("--reason must be at most 1000 characters on one line"),
                twoLines.getMessage());
        assertTrue(
                longName.getMessage().startsWith("the operator's name must be 1 to 256 characters"),
                longName.getMessage());
        assertTrue(store.find(ID).orElseThrow().operatorRequest() == null, "refused before anything was recorded");
        assertTrue(store.approvalToken(ID).isPresent(), "the gate still waits");
    }

    @Test
    void statusJoinsTheRecordAndTheExecutionsHistory() {
        String executionArn = running();
        executions.history(
                executionArn,
                new Histories(ID, 10, 100)
                        .shifted(0, 10)
                        .verdict("PASS", "error-rate", "no regression: canary 1.0% (2/200)")
                        .events());

        StatusReport report = ops.status(ID);

        assertEquals(DeploymentStatus.RUNNING, report.record().orElseThrow().status());
        assertEquals("step 1/2 at 10 %: healthy", report.progress().summary());
        assertTrue(report.history().stream()
                .anyMatch(line -> line.contains("PASS error-rate: no regression: canary 1.0% (2/200)")));
    }

    @Test
    void statusOfARefusedRequestComesFromItsExecutionAlone() {
        String executionArn = executions.start(ID, "{}").executionArn();
        executions.fail(
                executionArn,
                "dev.tollgate.errors.InvalidSpecException",
                "{\"errorMessage\":\"invalid deployment spec\"}");

        StatusReport report = ops.status(ID);

        assertTrue(report.record().isEmpty());
        assertEquals(ExecutionState.FAILED, report.execution().orElseThrow().state());
        assertThrows(DeploymentNotFoundException.class, () -> ops.status("never-started"));
    }

    @Test
    void listsNewestFirstWithinTheLimit() {
        LockService locks = new LockService(store, clock);
        for (int i = 1; i <= 3; i++) {
            locks.acquire("svc-" + i, "deployment-" + i, "execution-" + i);
            clock.advance(Duration.ofMinutes(1));
        }

        assertEquals(
                java.util.List.of("deployment-3", "deployment-2"),
                ops.list(2).stream().map(DeploymentRecord::deploymentId).toList());
        assertEquals(3, ops.list(1000).size(), "the limit is capped, never refused");
    }

    @Test
    void everySampleStateMachineInputButTheInvalidOneStarts() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(SampleEvents.directory())) {
            List<String> inputs = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("statemachine-") && !name.equals("statemachine-invalid.json"))
                    .sorted()
                    .toList();
            assertTrue(inputs.size() >= 2, inputs.toString());
            for (String input : inputs) {
                assertEquals(
                        executions.executionArn(Json.tree(SampleEvents.read(input))
                                .path("deploymentId")
                                .asText()),
                        ops.start(Json.tree(SampleEvents.read(input))).executionArn(),
                        input);
            }
        }
    }
}
