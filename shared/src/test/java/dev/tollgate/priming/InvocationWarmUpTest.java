package dev.tollgate.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.xray.AWSXRay;
import dev.tollgate.telemetry.Correlation;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.core.internal.LambdaHandlerProcessor;

/** Priming the invocation's observability writes no line, sends no trace, and leaves nothing behind. */
class InvocationWarmUpTest {

    private static final Correlation SAMPLE = new Correlation(
            "checkout-2024-06-01-a",
            "checkout",
            "arn:aws:states:us-east-1:123456789012:execution:tollgate:checkout",
            "AnalyzeStep",
            1,
            0);

    private WaysOut waysOut;

    @BeforeEach
    void watchEveryWayOut() {
        waysOut = WaysOut.watch();
    }

    @AfterEach
    void restore() {
        waysOut.restore();
    }

    @Test
    void primingTheLogContextLayoutAndSubsegmentWritesNoLineAndSendsNoTrace() {
        InvocationWarmUp.run(SAMPLE);

        assertEquals("", waysOut.written(), "no log line, no stack trace");
        assertEquals(0, waysOut.traceEntitiesSent(), "no segment or subsegment reached the recorder's emitter");
    }

    @Test
    void afterPrimingTheLogContextIsEmptyAndTheFirstInvocationIsStillTheColdStart() {
        InvocationWarmUp.run(SAMPLE);

        assertTrue(
                ThreadContext.isEmpty(),
                "no correlation key is left for the first invocation: " + ThreadContext.getImmutableContext());
        assertTrue(
                LambdaHandlerProcessor.isColdStart(),
                "Powertools still reports the first real invocation as the cold start");
        assertTrue(AWSXRay.getTraceEntity() == null, "no segment is left open on this thread");
    }
}
