package dev.tollgate.bench.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A cold start is measured in the JVM Lambda would start for the function, not in one sized for this machine. */
class ProbeLauncherTest {

    @Test
    void sizesTheJvmFromTheFunctionsMemoryAsLambdaDoes() {
        List<String> flags = ProbeLauncher.lambdaJvmFlags(1024);

        // Lambda's java command for a 1024 MB function; MaxRAM makes the first heap a 64th of 1 GB, not of this
        // machine.
        assertTrue(
                flags.containsAll(List.of(
                        "-XX:MaxHeapSize=891290k",
                        "-XX:MaxMetaspaceSize=104858k",
                        "-XX:ReservedCodeCacheSize=52429k",
                        "-XX:MaxRAM=1024m",
                        "-XX:+UseSerialGC",
                        "-Xshare:auto",
                        "-XX:TieredStopAtLevel=1")),
                flags.toString());
        // The local stack's own saving is not Lambda's, so it is not timed.
        assertFalse(flags.contains("-XX:-UsePerfData"), flags.toString());
    }

    @Test
    void readsTheProbesResultLine() {
        Map<String, String> fields = ProbeLauncher.fields(
                "PROBE constructMillis=12.5 firstInvokeMillis=3 status=error:X:with spaces", "PROBE ");

        assertEquals(
                Map.of("constructMillis", "12.5", "firstInvokeMillis", "3", "status", "error:X:with spaces"), fields);
    }
}
