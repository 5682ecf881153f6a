package dev.tollgate.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.priming.Priming;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A metric point is one EMF line on standard output (the build sets AWS_EMF_ENVIRONMENT=Lambda, as template.yaml
 * does), except while SnapStart priming runs: then it is serialised and dropped.
 */
class EmfMetricsTest {

    private static final MetricPoint POINT = new MetricPoint(
            "DeploymentsStarted", 1, MetricPoint.Unit.COUNT, Map.of(), "checkout", "checkout-v42", null);

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream console;

    @BeforeEach
    void captureStandardOutput() {
        console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(console);
    }

    @Test
    void whilePrimingNoLineIsWritten() {
        Priming.run(() -> new EmfMetrics("Tollgate").accept(POINT));

        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void outsidePrimingThePointIsAnEmfLine() {
        new EmfMetrics("Tollgate").accept(POINT);

        String line = printed.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("\"CloudWatchMetrics\"") && line.contains("\"DeploymentsStarted\":1.0"), line);
    }
}
