package dev.tollgate.bench.budget;

import dev.tollgate.ops.ExecutionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one execution cost Step Functions and Lambda, read from its history: state transitions by
 * state (every state entered, and every retry, which AWS bills as another transition), and Lambda
 * invocations by state with how long each ran.
 *
 * @see <a href="https://aws.amazon.com/step-functions/pricing/">Step Functions pricing: state transitions, retries included</a>
 */
public record DeploymentLedger(
        Map<String, Integer> transitionsByState,
        Map<String, Integer> invocationsByState,
        Map<String, List<Double>> invocationMillisByState,
        int retries) {

    public static DeploymentLedger of(List<ExecutionEvent> history) {
        Map<String, Integer> transitions = new TreeMap<>();
        Map<String, Integer> invocations = new TreeMap<>();
        Map<String, List<Double>> millis = new TreeMap<>();
        int retries = 0;
        String state = null;
        int scheduledInThisEntry = 0;
        Instant started = null;
        for (ExecutionEvent event : history) {
            if (event.stateEntered()) {
                state = event.stateName();
                transitions.merge(state, 1, Integer::sum);
                scheduledInThisEntry = 0;
            } else if (event.is("LambdaFunctionScheduled") || event.is("TaskScheduled")) {
                if (scheduledInThisEntry++ > 0) {
                    // A Retry: the same state runs its task again, billed as one more transition.
                    retries++;
                    transitions.merge(state, 1, Integer::sum);
                }
                invocations.merge(state, 1, Integer::sum);
            } else if (event.is("LambdaFunctionStarted") || event.is("TaskStarted")) {
                started = event.at();
            } else if (ended(event) && started != null && event.at() != null) {
                millis.computeIfAbsent(state, key -> new ArrayList<>())
                        .add(Duration.between(started, event.at()).toNanos() / 1e6);
                started = null;
            }
        }
        return new DeploymentLedger(transitions, invocations, millis, retries);
    }

    private static boolean ended(ExecutionEvent event) {
        return event.is("LambdaFunctionSucceeded")
                || event.is("LambdaFunctionFailed")
                || event.is("LambdaFunctionTimedOut")
                || event.is("TaskSucceeded")
                || event.is("TaskFailed")
                || event.is("TaskTimedOut");
    }

    public int transitions() {
        return transitionsByState.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int invocations() {
        return invocationsByState.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int transitions(String state) {
        return transitionsByState.getOrDefault(state, 0);
    }

    public int invocations(String state) {
        return invocationsByState.getOrDefault(state, 0);
    }
}
