package dev.tollgate.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * What Lambda does with a function's standard output and error, for functions that share the
 * local stack's JVM: while a thread runs an invocation, everything it prints (JSON log lines, EMF
 * metric lines, a stray stack trace) goes to that endpoint's log file instead of the console, which
 * stays the demo's. Other threads print as before. Installed once per JVM; each endpoint names its file.
 */
final class FunctionOutput {

    private static final ThreadLocal<OutputStream> TARGET = new ThreadLocal<>();
    private static boolean installed;

    private FunctionOutput() {
    }

    /** Routes {@code System.out} and {@code System.err} by thread from now on (idempotent). */
    static synchronized void install() {
        if (installed) {
            return;
        }
        System.setOut(new PrintStream(new Routed(System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Routed(System.err), true, StandardCharsets.UTF_8));
        installed = true;
    }

    /** Runs an invocation with this thread's output going to {@code log}. */
    static <T> T capture(OutputStream log, Callable<T> invocation) throws Exception {
        OutputStream before = TARGET.get();
        TARGET.set(log);
        try {
            return invocation.call();
        } finally {
            if (before == null) {
                TARGET.remove();
            } else {
                TARGET.set(before);
            }
        }
    }

    /** The console for threads outside an invocation, the invocation's log inside one. */
    private static final class Routed extends OutputStream {
        private final PrintStream console;

        Routed(PrintStream console) {
            this.console = console;
        }

        private OutputStream target() {
            OutputStream log = TARGET.get();
            return log != null ? log : console;
        }

        @Override
        public void write(int b) throws IOException {
            OutputStream target = target();
            synchronized (target) {
                target.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            OutputStream target = target();
            synchronized (target) {
                target.write(bytes, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            OutputStream target = target();
            synchronized (target) {
                target.flush();
            }
        }
    }
}
