package dev.tollgate.priming;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ways a line or a trace leaves a test's JVM, watched until {@link #restore()}: standard output and error captured
 * (the JSON log's console appender and EMF's console sink follow System.out), and the global X-Ray recorder replaced by
 * one whose emitter sends nothing and counts what it is given.
 */
public final class WaysOut {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final AtomicInteger traceEntitiesSent = new AtomicInteger();
    private final PrintStream outBefore = System.out;
    private final PrintStream errBefore = System.err;
    private final AWSXRayRecorder globalBefore = AWSXRay.getGlobalRecorder();

    private WaysOut() {
        AWSXRay.setGlobalRecorder(AWSXRayRecorderBuilder.standard()
                .withEmitter(new Emitter() {
                    @Override
                    public boolean sendSegment(Segment segment) {
                        traceEntitiesSent.incrementAndGet();
                        return true;
                    }

                    @Override
                    public boolean sendSubsegment(Subsegment subsegment) {
                        traceEntitiesSent.incrementAndGet();
                        return true;
                    }
                })
                .build());
        PrintStream capture = new PrintStream(written, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
    }

    public static WaysOut watch() {
        return new WaysOut();
    }

    /** Everything written to standard output and error so far. */
    public String written() {
        return written.toString(StandardCharsets.UTF_8);
    }

    /** Segments and subsegments the global recorder's emitter was given so far. */
    public int traceEntitiesSent() {
        return traceEntitiesSent.get();
    }

    public void restore() {
        System.setOut(outBefore);
        System.setErr(errBefore);
        AWSXRay.setGlobalRecorder(globalBefore);
    }
}
