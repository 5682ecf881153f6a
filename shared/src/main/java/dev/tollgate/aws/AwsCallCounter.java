package dev.tollgate.aws;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS call a function makes, by function, service and operation: one call per SDK
 * operation invoked, and one attempt per HTTP request sent (a retried call is one call and several
 * attempts; AWS bills attempts), and for {@code GetMetricData}, which CloudWatch bills per metric
 * requested, the queries each attempt sent. Switched on by {@link #SWITCH} in the function's environment, which
 * the local stack sets; on AWS it is off and costs nothing. The counts are per JVM; the local stack's
 * function JVMs each publish theirs for the stack to add up ({@link AwsCallCountFiles}). With {@link #CALLS_FILE}
 * set as well, every call is also appended to that file, one JSON line naming the function, the service, the
 * operation and the resources the request names ({@link AwsCallLog}), so the tests can check every call against
 * the function's IAM role.
 */
public final class AwsCallCounter implements ExecutionInterceptor {

    /** Any non-blank value switches counting on. */
    public static final String SWITCH = "TOLLGATE_COUNT_AWS_CALLS";
    /** The file every call is appended to (JSON lines); the local stack sets it for every function. */
    public static final String CALLS_FILE = "TOLLGATE_AWS_CALLS_FILE";
    /** Lambda sets it to the function's name; the local stack sets it to the function's logical id. */
    public static final String FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";

    private static final String GET_METRIC_DATA = "GetMetricData";
    private static final Map<CallKey, Tally> TALLIES = new ConcurrentHashMap<>();

    private final String function;
    private final Optional<AwsCallLog> log;

    AwsCallCounter(String function, Optional<AwsCallLog> log) {
        this.function = function;
        this.log = log;
    }

    /** Which function called which operation of which service ({@code CloudWatch}, {@code GetMetricData}). */
    public record CallKey(String function, String service, String operation) implements Comparable<CallKey> {
        @Override
        public int compareTo(CallKey other) {
            return java.util.Comparator.comparing(CallKey::function)
                    .thenComparing(CallKey::service)
                    .thenComparing(CallKey::operation)
                    .compare(this, other);
        }

        @Override
        public String toString() {
            return function + " " + service + ":" + operation;
        }
    }

    /** Calls made, HTTP attempts sent and, for GetMetricData, metrics requested, for one {@link CallKey}. */
    public record Count(long calls, long attempts, long metricsRequested) {
        public Count minus(Count earlier) {
            return new Count(
                    calls - earlier.calls, attempts - earlier.attempts, metricsRequested - earlier.metricsRequested);
        }

        public Count plus(Count other) {
            return new Count(calls + other.calls, attempts + other.attempts, metricsRequested + other.metricsRequested);
        }
    }

    private static final class Tally {
        final LongAdder calls = new LongAdder();
        final LongAdder attempts = new LongAdder();
        final LongAdder metricsRequested = new LongAdder();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        tally(attributes).calls.increment();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Tally tally = tally(attributes);
        tally.attempts.increment();
        if (GET_METRIC_DATA.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            // Read by field name: this class must not load CloudWatch's model, which most functions do not carry.
            tally.metricsRequested.add(context.request()
                    .getValueForField("MetricDataQueries", Object.class)
                    .map(queries -> queries instanceof List<?> list ? list.size() : 0)
                    .orElse(0));
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        log.ifPresent(calls -> calls.record(
                function, service(attributes), operation(attributes), context.request(), context.response(), null));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        log.ifPresent(calls -> calls.record(
                function,
                service(attributes),
                operation(attributes),
                context.request(),
                null,
                context.exception() instanceof AwsServiceException failure && failure.awsErrorDetails() != null
                        ? failure.awsErrorDetails().errorCode()
                        : context.exception().getClass().getSimpleName()));
    }

    private static String service(ExecutionAttributes attributes) {
        return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
    }

    private static String operation(ExecutionAttributes attributes) {
        return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    private Tally tally(ExecutionAttributes attributes) {
        CallKey key = new CallKey(function, service(attributes), operation(attributes));
        return TALLIES.computeIfAbsent(key, ignored -> new Tally());
    }

    /** Every count so far in this JVM, sorted by function, service and operation. */
    public static Map<CallKey, Count> snapshot() {
        Map<CallKey, Count> counts = new TreeMap<>();
        TALLIES.forEach((key, tally) ->
                counts.put(key, new Count(tally.calls.sum(), tally.attempts.sum(), tally.metricsRequested.sum())));
        return counts;
    }

    /** The counts added between {@code earlier} (a {@link #snapshot()}) and now; keys with nothing new are left out. */
    public static Map<CallKey, Count> since(Map<CallKey, Count> earlier) {
        return between(earlier, snapshot());
    }

    /** The counts added from {@code earlier} to {@code later} (snapshots of one JVM or of many); keys with nothing new are left out. */
    public static Map<CallKey, Count> between(Map<CallKey, Count> earlier, Map<CallKey, Count> later) {
        Map<CallKey, Count> added = new TreeMap<>();
        later.forEach((key, now) -> {
            Count delta = now.minus(earlier.getOrDefault(key, new Count(0, 0, 0)));
            if (delta.calls() != 0 || delta.attempts() != 0) {
                added.put(key, delta);
            }
        });
        return added;
    }

    static boolean enabledIn(FunctionEnvironment environment) {
        return environment.get(SWITCH).isPresent()
                || environment.get(CALLS_FILE).isPresent();
    }

    /** {@code functionsOwnCredentials} false: the calls are signed with credentials the function was handed, not its role's. */
    static AwsCallCounter forFunction(FunctionEnvironment environment, boolean functionsOwnCredentials) {
        return new AwsCallCounter(
                environment.get(FUNCTION_NAME, "unnamed"),
                environment.get(CALLS_FILE).map(file -> new AwsCallLog(Path.of(file), functionsOwnCredentials)));
    }
}
