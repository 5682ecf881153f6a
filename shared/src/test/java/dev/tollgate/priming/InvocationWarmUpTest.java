package dev.tollgate.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import dev.tollgate.telemetry.Correlation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.core.internal.LambdaHandlerProcessor;

/** Priming the invocation's observability writes no line, sends no trace, and leaves nothing behind. */
class InvocationWarmUpTest {

    private static final Correlation SAMPLE = new Correlation("checkout-2024-06-01-a", "checkout",
            "arn:aws:states:us-east-1:123456789012:execution:tollgate:checkout", "AnalyzeStep", 1, 0);

    private final CountingEmitter traceEntities = new CountingEmitter();
    private AWSXRayRecorder globalBefore;
    private PrintStream outBefore;
    private PrintStream errBefore;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @BeforeEach
    void watchEveryWayOut() {
        globalBefore = AWSXRay.getGlobalRecorder();
        AWSXRay.setGlobalRecorder(AWSXRayRecorderBuilder.standard().withEmitter(traceEntities).build());
        outBefore = System.out;
        errBefore = System.err;
        // The console appender follows System.out: a log line written now would land here.
        PrintStream capture = new PrintStream(written, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
    }

    @AfterEach
    void restore() {
        System.setOut(outBefore);
        System.setErr(errBefore);
        AWSXRay.setGlobalRecorder(globalBefore);
    }

    @Test
    void primingTheLogContextLayoutAndSubsegmentWritesNoLineAndSendsNoTrace() {
        InvocationWarmUp.run(SAMPLE);

        assertEquals("", written.toString(StandardCharsets.UTF_8), "no log line, no stack trace");
        assertEquals(0, traceEntities.sent(), "no segment or subsegment reached the recorder's emitter");
    }

    @Test
    void afterPrimingTheLogContextIsEmptyAndTheFirstInvocationIsStillTheColdStart() {
        InvocationWarmUp.run(SAMPLE);

        assertTrue(ThreadContext.isEmpty(), "no correlation key is left for the first invocation: " + ThreadContext.getImmutableContext());
        assertTrue(LambdaHandlerProcessor.isColdStart(), "Powertools still reports the first real invocation as the cold start");
        assertTrue(AWSXRay.getTraceEntity() == null, "no segment is left open on this thread");
    }
}
