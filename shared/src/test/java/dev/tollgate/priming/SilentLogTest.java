package dev.tollgate.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** While priming runs, its thread logs nothing, whatever the level; afterwards logging is as configured. */
class SilentLogTest {

    private static final Logger LOG = LogManager.getLogger("dev.tollgate.priming.sample");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream console;

    @BeforeEach
    void captureEveryLevel() {
        console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Configurator.setRootLevel(Level.ALL);
    }

    @AfterEach
    void restore() {
        Configurator.setRootLevel(Level.OFF);
        System.setOut(console);
    }

    @Test
    void aLineLoggedWhilePrimingIsNotWritten() {
        Priming.run(() -> {
            LOG.error("while priming", new IllegalStateException("priming"));
            LOG.debug("while priming {}", 1);
        });

        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void afterPrimingLinesAreWrittenAndTheConfigurationHasNoFilterLeft() {
        Priming.run(() -> LOG.info("while priming"));
        LOG.info("after priming");

        assertTrue(
                printed.toString(StandardCharsets.UTF_8).contains("after priming"),
                printed.toString(StandardCharsets.UTF_8));
        assertEquals(
                null,
                ((LoggerContext) LogManager.getContext(false))
                        .getConfiguration()
                        .getFilter());
    }
}
