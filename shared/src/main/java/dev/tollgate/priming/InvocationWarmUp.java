package dev.tollgate.priming;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.amazonaws.xray.contexts.ThreadLocalSegmentContextResolver;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import dev.tollgate.telemetry.Correlation;
import dev.tollgate.telemetry.InvocationContext;
import java.nio.ByteBuffer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.ByteBufferDestination;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import software.amazon.lambda.powertools.logging.internal.LambdaLoggingAspect;
import software.amazon.lambda.powertools.tracing.internal.LambdaTracingAspect;

/**
 * SnapStart priming of what every invocation does around the handler's own work, with nothing leaving the JVM:
 * Powertools' logging and tracing aspects (their classes, and the global X-Ray recorder they and the SDK's tracing
 * interceptor use), the invocation's log context and trace annotations ({@link InvocationContext}), the JSON layout
 * writing a line (with and without a stack trace) into a buffer that is dropped, and an X-Ray subsegment's life (begun,
 * annotated, failed, ended, serialised) on a recorder of its own whose emitter sends nothing.
 *
 * <p>Priming cannot call {@code handleRequest} itself: its aspects would mark Powertools' cold start as done (the
 * first real invocation would log {@code coldStart=false}) and end a subsegment on the global recorder, whose
 * emitter sends it to the X-Ray daemon.
 */
public final class InvocationWarmUp {

    private static final String SUBSEGMENT = "## handleRequest";

    private InvocationWarmUp() {}

    public static void run(Correlation correlation) {
        // Class initialisation only: the aspects read their settings; the recorder is what their first use builds.
        LambdaLoggingAspect.hasAspect();
        LambdaTracingAspect.hasAspect();
        AWSXRay.getGlobalRecorder();
        InvocationContext.Scope invocation = InvocationContext.open(correlation);
        try {
            writeLinesNowhere();
            traceNowhere(correlation);
        } finally {
            invocation.close();
        }
    }

    /** Every configured layout encodes a line as the console appender would, into a buffer nobody reads. */
    private static void writeLinesNowhere() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        IllegalStateException sample = new IllegalStateException("priming");
        for (Appender appender : context.getConfiguration().getAppenders().values()) {
            Layout<?> layout = appender.getLayout();
            if (layout != null) {
                DroppedBytes nowhere = new DroppedBytes();
                layout.encode(line(null), nowhere);
                layout.encode(line(sample), nowhere);
            }
        }
    }

    private static LogEvent line(Throwable thrown) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName(InvocationWarmUp.class.getName())
                .setLoggerFqcn(InvocationWarmUp.class.getName())
                .setLevel(thrown == null ? Level.INFO : Level.ERROR)
                .setMessage(new ParameterizedMessage("{} primed", "invocation"))
                .setThrown(thrown)
                .setContextData(new SortedArrayStringMap(ThreadContext.getImmutableContext()))
                .setTimeMillis(System.currentTimeMillis())
                .build();
    }

    /** A subsegment like the tracing aspect's, on a recorder of thread-local segments that emits nothing. */
    private static void traceNowhere(Correlation correlation) {
        SegmentContextResolverChain threadLocal = new SegmentContextResolverChain();
        threadLocal.addResolver(new ThreadLocalSegmentContextResolver());
        AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard()
                .withSegmentContextResolverChain(threadLocal)
                .withSamplingStrategy(new AllSamplingStrategy())
                .withContextMissingStrategy(new IgnoreErrorContextMissingStrategy())
                .withEmitter(new SerialisingEmitter())
                .build();
        recorder.beginSegment("priming");
        try {
            Subsegment subsegment = recorder.beginSubsegment(SUBSEGMENT);
            subsegment.setNamespace("priming");
            subsegment.putAnnotation("ColdStart", true);
            subsegment.putAnnotation("Service", "priming");
            correlation.logKeys().forEach(subsegment::putAnnotation);
            subsegment.putMetadata("priming", SUBSEGMENT + " error", new IllegalStateException("priming"));
            subsegment.addException(new IllegalStateException("priming"));
            recorder.endSubsegment();
        } finally {
            recorder.endSegment();
        }
    }

    /** Serialises what it is given, as the daemon emitter does before sending, and sends nothing. */
    private static final class SerialisingEmitter extends Emitter {
        @Override
        public boolean sendSegment(Segment segment) {
            return !segment.serialize().isEmpty();
        }

        @Override
        public boolean sendSubsegment(Subsegment subsegment) {
            return !subsegment.streamSerialize().isEmpty();
        }
    }

    /** A destination that takes the encoded bytes and forgets them. */
    private static final class DroppedBytes implements ByteBufferDestination {
        private final ByteBuffer buffer = ByteBuffer.allocate(8 * 1024);

        @Override
        public ByteBuffer getByteBuffer() {
            return buffer;
        }

        @Override
        public ByteBuffer drain(ByteBuffer full) {
            full.clear();
            return full;
        }

        @Override
        public void writeBytes(ByteBuffer data) {
            data.position(data.limit());
        }

        @Override
        public void writeBytes(byte[] data, int offset, int length) {
            // Dropped: priming writes no line.
        }
    }
}
