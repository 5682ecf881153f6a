package dev.tollgate.local;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the tollgate command in this JVM, as a user types it, against an endpoint; what it printed and its exit status. */
final class TollgateCli {

    private TollgateCli() {}

    /** What one command printed, and its exit status. */
    record Run(int exitCode, String out, String err) {}

    /** {@code tollgate arguments... --endpoint-url endpoint}. */
    static Run run(String endpoint, String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> withEndpoint = new ArrayList<>(List.of(arguments));
        withEndpoint.addAll(List.of("--endpoint-url", endpoint));
        int exitCode = LocalTollgate.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(withEndpoint.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }
}
