package dev.tollgate.priming;

import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import java.util.concurrent.atomic.AtomicInteger;

/** An X-Ray emitter that sends nothing and counts what it was given: the tests' way to see a trace leave. */
public final class CountingEmitter extends Emitter {

    private final AtomicInteger sent = new AtomicInteger();

    @Override
    public boolean sendSegment(Segment segment) {
        sent.incrementAndGet();
        return true;
    }

    @Override
    public boolean sendSubsegment(Subsegment subsegment) {
        sent.incrementAndGet();
        return true;
    }

    /** Segments and subsegments given so far. */
    public int sent() {
        return sent.get();
    }
}
