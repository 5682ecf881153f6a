package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A client made on first use is made then, once, and never before. */
class OnFirstUseTest {

    @Test
    void nothingIsMadeUntilTheFirstUseAndThenOnlyOnce() {
        AtomicInteger made = new AtomicInteger();
        OnFirstUse<Object> client = OnFirstUse.of(() -> {
            made.incrementAndGet();
            return new Object();
        });
        assertEquals(0, made.get(), "outside a SnapStart init nothing is made up front");

        Object first = client.get();
        assertSame(first, client.get());
        assertEquals(1, made.get());
    }
}
