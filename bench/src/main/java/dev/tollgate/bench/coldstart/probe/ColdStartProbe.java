package dev.tollgate.bench.coldstart.probe;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Plays Lambda's Java runtime for one cold start, in a fresh JVM whose class path is the runtime's jars, a function's
 * deployment package unpacked as Lambda unpacks it, and this probe: loads the handler class, builds it with its no-argument constructor
 * (the function's environment comes from the process, as on Lambda), and serves one invocation of
 * the sample event. Prints one {@code PROBE ...} line with the phases it timed, then halts.
 *
 * <pre>
 *   java -cp RUNTIME_JARS:TASK_ROOT:tollgate-coldstart-probe.jar dev.tollgate.bench.coldstart.probe.ColdStartProbe \
 *        HANDLER_CLASS EVENT_FILE [--prime] [--invocations N]
 * </pre>
 *
 * {@code --prime} runs the warm-ups the handler registered for SnapStart (as the snapshot would,
 * before the first invocation); {@code --invocations N} serves the event N times and reports the last too, with its
 * own status: the first invocation's status says whether the cold start is valid, the last one's whether the warm
 * figure is (a sample that is not idempotent may be refused the second time).
 */
public final class ColdStartProbe {

    /** The priming entry point in the function jar: what CRaC's beforeCheckpoint runs on SnapStart. */
    static final String PRIMING_CLASS = "dev.tollgate.priming.Priming";

    private ColdStartProbe() {}

    public static void main(String[] args) throws Exception {
        long mainEntered = System.nanoTime();
        String handlerClass = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        boolean prime = false;
        int invocations = 1;
        for (int i = 2; i < args.length; i++) {
            if ("--prime".equals(args[i])) {
                prime = true;
            } else if ("--invocations".equals(args[i])) {
                invocations = Integer.parseInt(args[++i]);
            }
        }
        RequestStreamHandler handler = (RequestStreamHandler)
                Class.forName(handlerClass).getConstructor().newInstance();
        long constructed = System.nanoTime();
        if (prime) {
            runPriming();
        }
        long primed = System.nanoTime();
        String status = "ok";
        String lastStatus = "ok";
        long firstStarted = 0;
        long firstEnded = 0;
        long lastStarted = 0;
        long lastEnded = 0;
        int responseBytes = 0;
        for (int i = 0; i < invocations; i++) {
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            lastStarted = System.nanoTime();
            lastStatus = "ok";
            try {
                handler.handleRequest(new ByteArrayInputStream(event), response, new ProbeContext("probe", 60));
            } catch (RuntimeException failure) {
                // Lambda answers a thrown exception as an error response: still a response, but not the one measured.
                lastStatus = "error:" + failure.getClass().getName() + ":" + oneLine(failure.getMessage());
            }
            lastEnded = System.nanoTime();
            if (i == 0) {
                status = lastStatus;
                firstStarted = lastStarted;
                firstEnded = lastEnded;
                responseBytes = response.size();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "PROBE constructMillis=%.2f primeMillis=%.2f firstInvokeMillis=%.2f lastInvokeMillis=%.2f"
                        + " mainToResponseMillis=%.2f responseBytes=%d lastStatus=%s status=%s%n",
                millis(constructed - mainEntered),
                millis(primed - constructed),
                millis(firstEnded - firstStarted),
                millis(lastEnded - lastStarted),
                millis(firstEnded - mainEntered),
                responseBytes,
                lastStatus,
                status);
        System.out.flush();
        // Nothing else to wait for: the SDK's idle threads and shutdown hooks are not part of a cold start.
        Runtime.getRuntime().halt(0);
    }

    private static void runPriming() throws ReflectiveOperationException {
        try {
            Class.forName(PRIMING_CLASS).getMethod("primeAll").invoke(null);
        } catch (InvocationTargetException failure) {
            throw new IllegalStateException("priming failed", failure.getCause());
        }
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
