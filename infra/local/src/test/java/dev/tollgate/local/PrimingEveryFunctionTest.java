package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.fakes.RefusingAwsEndpoint;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.local.SamTemplate.FunctionDefinition;
import dev.tollgate.priming.Priming;
import dev.tollgate.priming.SampleAnswers.SampleRun;
import dev.tollgate.priming.WaysOut;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SnapStart priming of every function of template.yaml (its handler on its sample event, the invocation's
 * observability, its deployment events, one read on each SDK client it builds) writes no log line or metric line, sends
 * no trace, reaches no AWS endpoint, and leaves no log key behind.
 */
class PrimingEveryFunctionTest {

    private static final String CONNECTS_AFTER_RESTORE = "RunMigrationsFunction";

    private RefusingAwsEndpoint aws;
    private WaysOut waysOut;

    static Stream<FunctionDefinition> functions() {
        return SamTemplate.read(RepositoryFiles.template()).functions().values().stream();
    }

    @BeforeEach
    void watchEveryWayOut() {
        aws = new RefusingAwsEndpoint();
        waysOut = WaysOut.watch();
        // The tests' configuration logs nothing (log4j2-test.xml): every level on, the SDK's debug lines included.
        Configurator.setRootLevel(Level.ALL);
    }

    @AfterEach
    void restore() {
        Configurator.setRootLevel(Level.OFF);
        waysOut.restore();
        aws.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void primingWritesNoLineSendsNoTraceAndReachesNoAwsEndpoint(FunctionDefinition function) {
        // Built while priming runs, so that each SDK client it builds is warmed at once too (ProtocolWarmUp).
        Priming.run(() -> handler(function).prime());

        assertEquals("", waysOut.written(), "no log line, metric line or stack trace");
        assertEquals(0, aws.requestsReceived(), "no request reached the AWS endpoint");
        assertEquals(0, waysOut.traceEntitiesSent(), "no segment or subsegment reached the recorder's emitter");
        assertTrue(
                ThreadContext.isEmpty(),
                "no log key is left for the first invocation: " + ThreadContext.getImmutableContext());
    }

    /**
     * Priming is worth what it runs: each sample's path to its end (the record found, the listener read, set and read
     * back, the service described), every call answered as AWS answers it. A call the code adds without a written
     * answer, or an answer the code no longer accepts, fails here rather than leaving the path cold.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void primingRunsItsSampleToTheEndWithEveryCallAnswered(FunctionDefinition function) {
        AtomicReference<SampleRun> run = new AtomicReference<>();
        Priming.run(() -> run.set(handler(function).primeReportingTheSample()));

        if (CONNECTS_AFTER_RESTORE.equals(function.logicalId())) {
            // Its path goes from the database secret to the database, which priming must never reach: the empty
            // answer for the secret ends it before any connection is opened.
            assertFalse(run.get().ranToItsEnd(), "run-migrations must stop before connecting");
            return;
        }
        assertEquals(
                List.of(),
                run.get().unanswered(),
                "calls with no written answer in " + run.get().sample());
        assertTrue(
                run.get().ranToItsEnd(),
                run.get().sample() + " ended early: " + run.get().endedBy());
    }

    private JsonHandler<?, ?> handler(FunctionDefinition function) {
        try {
            return (JsonHandler<?, ?>) Class.forName(function.handlerClass())
                    .getConstructor(FunctionEnvironment.class)
                    .newInstance(environment(function));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(function.handlerClass() + " cannot be built from its environment", e);
        }
    }

    /** The template's environment (names as written: nothing is sent), the endpoint pointing here, and no credentials. */
    private FunctionEnvironment environment(FunctionDefinition function) {
        Map<String, String> variables = new HashMap<>(function.environment());
        variables.put("AWS_REGION", "us-east-1");
        variables.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        variables.put(AwsClients.ENDPOINT_URL, aws.url());
        return new FunctionEnvironment(variables);
    }
}
