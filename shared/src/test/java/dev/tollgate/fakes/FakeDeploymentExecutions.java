package dev.tollgate.fakes;

import dev.tollgate.ops.ApprovalGates;
import dev.tollgate.ops.DeploymentExecutions;
import dev.tollgate.ops.ExecutionEvent;
import dev.tollgate.ops.ExecutionState;
import dev.tollgate.ops.ExecutionView;
import dev.tollgate.ops.StartedExecution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Step Functions in memory with AWS's naming rules: starting a running execution's name with the
 * same input finds it, any other reuse of a name is "already exists". A test sets each execution's
 * state and history, and reads how approval gates were answered.
 */
public final class FakeDeploymentExecutions implements DeploymentExecutions, ApprovalGates {

    public static final String STATE_MACHINE_ARN =
            "arn:aws:states:eu-west-1:123456789012:stateMachine:tollgate-deployment";

    private final Map<String, ExecutionView> executions = new LinkedHashMap<>();
    private final Map<String, String> inputs = new HashMap<>();
    private final Map<String, List<ExecutionEvent>> histories = new HashMap<>();
    private final Map<String, String> liveTokens = new HashMap<>();
    private final List<String> answers = new ArrayList<>();
    private RuntimeException nextDescribeFailure;
    private int startCalls;

    @Override
    public synchronized StartedExecution start(String name, String input) {
        startCalls++;
        String arn = executionArn(name);
        ExecutionView existing = executions.get(arn);
        if (existing != null) {
            boolean sameRun = existing.state() == ExecutionState.RUNNING && input.equals(inputs.get(arn));
            return new StartedExecution(arn, !sameRun);
        }
        executions.put(
                arn,
                new ExecutionView(
                        arn,
                        name,
                        ExecutionState.RUNNING,
                        Instant.parse("2026-11-24T11:00:00Z"),
                        null,
                        null,
                        null,
                        null));
        inputs.put(arn, input);
        return new StartedExecution(arn, false);
    }

    @Override
    public String executionArn(String name) {
        return STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    @Override
    public synchronized Optional<ExecutionView> describe(String executionArn) {
        if (nextDescribeFailure != null) {
            RuntimeException failure = nextDescribeFailure;
            nextDescribeFailure = null;
            throw failure;
        }
        return Optional.ofNullable(executions.get(executionArn));
    }

    @Override
    public synchronized List<ExecutionEvent> history(String executionArn) {
        return histories.getOrDefault(executionArn, List.of());
    }

    public synchronized FakeDeploymentExecutions history(String executionArn, List<ExecutionEvent> events) {
        histories.put(executionArn, List.copyOf(events));
        return this;
    }

    public synchronized FakeDeploymentExecutions succeed(String executionArn, String output) {
        ExecutionView running = executions.get(executionArn);
        executions.put(
                executionArn,
                new ExecutionView(
                        executionArn,
                        running.name(),
                        ExecutionState.SUCCEEDED,
                        running.startedAt(),
                        Instant.parse("2026-11-24T11:30:00Z"),
                        output,
                        null,
                        null));
        return this;
    }

    public synchronized FakeDeploymentExecutions fail(String executionArn, String error, String cause) {
        ExecutionView running = executions.get(executionArn);
        executions.put(
                executionArn,
                new ExecutionView(
                        executionArn,
                        running.name(),
                        ExecutionState.FAILED,
                        running.startedAt(),
                        Instant.parse("2026-11-24T11:30:00Z"),
                        null,
                        error,
                        cause));
        return this;
    }

    public synchronized FakeDeploymentExecutions failNextDescribe(RuntimeException failure) {
        this.nextDescribeFailure = failure;
        return this;
    }

    /** An approval gate waits on this token until a test or an operator answers it. */
    public synchronized FakeDeploymentExecutions parkToken(String taskToken) {
        liveTokens.put(taskToken, "waiting");
        return this;
    }

    @Override
    public synchronized boolean approve(String taskToken, String outputJson) {
        if (liveTokens.remove(taskToken) == null) {
            return false;
        }
        answers.add("success " + outputJson);
        return true;
    }

    @Override
    public synchronized boolean reject(String taskToken, String error, String cause) {
        if (liveTokens.remove(taskToken) == null) {
            return false;
        }
        answers.add("failure " + error + ": " + cause);
        return true;
    }

    public synchronized List<String> gateAnswers() {
        return List.copyOf(answers);
    }

    public synchronized int executionCount() {
        return executions.size();
    }

    public synchronized int startCalls() {
        return startCalls;
    }

    public synchronized String input(String executionArn) {
        return inputs.get(executionArn);
    }
}
