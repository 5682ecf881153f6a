package dev.tollgate.ops;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.AwsErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** The deployment state machine in AWS Step Functions. */
public final class StepFunctionsExecutions implements DeploymentExecutions, ApprovalGates {

    private final SfnClient sfn;
    private final String stateMachineArn;
    private final StepFunctionsTaskTokens taskTokens;

    public StepFunctionsExecutions(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
        this.taskTokens = new StepFunctionsTaskTokens(sfn);
    }

    @Override
    public StartedExecution start(String name, String input) {
        try {
            // "If StartExecution is called with the same name and input as a running execution, the call
            // succeeds and returns the same response as the original request"
            // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
            String arn = sfn.startExecution(start ->
                            start.stateMachineArn(stateMachineArn).name(name).input(input))
                    .executionArn();
            return new StartedExecution(arn, false);
        } catch (ExecutionAlreadyExistsException exists) {
            // Same name with another input, or the first execution has ended: it is the one to follow.
            return new StartedExecution(executionArn(name), true);
        } catch (SdkException failure) {
            throw AwsErrors.translate("Step Functions StartExecution", failure);
        }
    }

    @Override
    public String executionArn(String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    @Override
    public Optional<ExecutionView> describe(String executionArn) {
        try {
            return Optional.of(view(sfn.describeExecution(describe -> describe.executionArn(executionArn))));
        } catch (ExecutionDoesNotExistException missing) {
            return Optional.empty();
        } catch (SdkException failure) {
            throw AwsErrors.translate("Step Functions DescribeExecution", failure);
        }
    }

    /** DescribeExecution's answer without its SDK type. */
    public static ExecutionView view(DescribeExecutionResponse execution) {
        return new ExecutionView(
                execution.executionArn(),
                execution.name(),
                ExecutionState.valueOf(execution.statusAsString()),
                execution.startDate(),
                execution.stopDate(),
                execution.output(),
                execution.error(),
                execution.cause());
    }

    @Override
    public List<ExecutionEvent> history(String executionArn) {
        List<ExecutionEvent> events = new ArrayList<>();
        String nextToken = null;
        do {
            String page = nextToken;
            GetExecutionHistoryResponse response = call(
                    "Step Functions GetExecutionHistory",
                    () -> sfn.getExecutionHistory(get -> get.executionArn(executionArn)
                            .maxResults(1000)
                            .includeExecutionData(true)
                            .nextToken(page)));
            for (HistoryEvent event : response.events()) {
                events.add(event(
                        event,
                        events.isEmpty() ? null : events.get(events.size() - 1).stateName()));
            }
            nextToken = response.nextToken();
        } while (nextToken != null && !nextToken.isEmpty());
        return events;
    }

    /**
     * {@code currentState}: the state the events before this one belonged to. A task's own events
     * (its function's answer, its failures) name no state in the history; they belong to the task
     * state entered last.
     */
    private static ExecutionEvent event(HistoryEvent event, String currentState) {
        String state = currentState;
        String payload = null;
        String error = null;
        String cause = null;
        if (event.stateEnteredEventDetails() != null) {
            state = event.stateEnteredEventDetails().name();
            payload = event.stateEnteredEventDetails().input();
        } else if (event.stateExitedEventDetails() != null) {
            state = event.stateExitedEventDetails().name();
            payload = event.stateExitedEventDetails().output();
        } else if (event.lambdaFunctionSucceededEventDetails() != null) {
            payload = event.lambdaFunctionSucceededEventDetails().output();
        } else if (event.lambdaFunctionFailedEventDetails() != null) {
            error = event.lambdaFunctionFailedEventDetails().error();
            cause = event.lambdaFunctionFailedEventDetails().cause();
        } else if (event.taskFailedEventDetails() != null) {
            error = event.taskFailedEventDetails().error();
            cause = event.taskFailedEventDetails().cause();
        } else if (event.executionFailedEventDetails() != null) {
            error = event.executionFailedEventDetails().error();
            cause = event.executionFailedEventDetails().cause();
        } else if (event.executionSucceededEventDetails() != null) {
            payload = event.executionSucceededEventDetails().output();
        }
        return new ExecutionEvent(event.id(), event.timestamp(), event.typeAsString(), state, payload, error, cause);
    }

    @Override
    public boolean approve(String taskToken, String outputJson) {
        return taskTokens.approve(taskToken, outputJson);
    }

    @Override
    public boolean reject(String taskToken, String error, String cause) {
        return taskTokens.reject(taskToken, error, cause);
    }
}
