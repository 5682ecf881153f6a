package dev.tollgate.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The function JVM's options are the ones Lambda's Java runtime starts it with. */
class RuntimeInterfaceClientTest {

    @Test
    void sizesTheHeapMetaspaceAndCodeCacheFromTheMemoryAsLambdaDoes() {
        // Lambda's java command for a 512 MB function: -XX:MaxHeapSize=445645k -XX:MaxMetaspaceSize=52429k
        // -XX:ReservedCodeCacheSize=26214k
        List<String> options = RuntimeInterfaceClient.jvmOptions(512);

        assertEquals(
                List.of(
                        "-XX:MaxHeapSize=445645k",
                        "-XX:MaxMetaspaceSize=52429k",
                        "-XX:ReservedCodeCacheSize=26214k",
                        "-XX:MaxRAM=512m"),
                options.subList(0, 4));
        assertTrue(
                options.containsAll(List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:TieredStopAtLevel=1")),
                options.toString());
    }

    @Test
    void addsOnlyWhatChangesNothingTheFunctionSeesToLambdasOwnOptions() {
        List<String> lambdas = RuntimeInterfaceClient.lambdaJvmOptions(1024);
        List<String> local = RuntimeInterfaceClient.jvmOptions(1024);

        assertEquals(lambdas, local.subList(0, lambdas.size()));
        assertEquals(List.of("-XX:-UsePerfData"), local.subList(lambdas.size(), local.size()));
    }
}
