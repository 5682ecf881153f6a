package dev.tollgate.local.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * Where the functions' output goes, as Lambda sends a function's standard output and error to
 * CloudWatch Logs: every line the function's JVM prints (its JSON log lines, EMF metric lines, the
 * runtime interface client's own), and the platform's lines around each invocation (init start, start,
 * report with duration and memory), in the function's log format ({@code LoggingConfig.LogFormat}).
 * The local stack appends everything to one file; {@code tollgate invoke} prints it on standard error.
 */
public abstract class FunctionLog implements AutoCloseable {

    /** Every function JVM appends to {@code file} directly (one write per line, O_APPEND), and so do the platform lines. */
    public static FunctionLog appendingTo(Path file) {
        return new FileLog(file);
    }

    /** Copies each function JVM's output to {@code writer} (a command's standard error), with the platform lines. */
    public static FunctionLog copiedTo(java.io.PrintWriter writer) {
        return new WriterLog(writer);
    }

    /** Points the JVM's standard output and error here before it starts. */
    abstract void connect(ProcessBuilder builder);

    /** Called once the JVM runs. */
    abstract void connected(Process process);

    abstract void write(String line);

    @Override
    public abstract void close();

    /** Lambda's {@code INIT_START} / {@code platform.initStart}: a new execution environment, and which runtime it runs. */
    void initStart(FunctionConfiguration function, String runtimeVersion, long pid) {
        if (function.jsonLogs()) {
            ObjectNode record = Json.MAPPER
                    .createObjectNode()
                    .put("initializationType", "on-demand")
                    .put("phase", "init")
                    .put("runtimeVersion", runtimeVersion)
                    .put("functionName", function.name())
                    .put("functionVersion", "$LATEST")
                    .put("instanceId", String.valueOf(pid))
                    .put("instanceMaxMemory", function.memoryMb() * 1024L * 1024L);
            write(platform("platform.initStart", record));
        } else {
            write("INIT_START Runtime Version: " + runtimeVersion + "\tInstance: " + pid);
        }
    }

    /** Lambda's {@code START} / {@code platform.start}: the runtime has taken the invocation. */
    void start(FunctionConfiguration function, String requestId) {
        if (function.jsonLogs()) {
            write(platform(
                    "platform.start",
                    Json.MAPPER.createObjectNode().put("requestId", requestId).put("version", "$LATEST")));
        } else {
            write("START RequestId: " + requestId + " Version: $LATEST");
        }
    }

    /**
     * Lambda's {@code END} and {@code REPORT} / {@code platform.report}: how long the invocation took,
     * the memory the JVM used at most (its peak resident size), the cold start's init time if any.
     */
    void report(
            FunctionConfiguration function,
            String requestId,
            double durationMillis,
            double initMillis,
            long maxMemoryUsedMb,
            InvocationResult.Status status) {
        long billedMillis = (long) Math.ceil(durationMillis);
        if (function.jsonLogs()) {
            ObjectNode record = Json.MAPPER.createObjectNode().put("requestId", requestId);
            ObjectNode metrics = record.putObject("metrics")
                    .put("durationMs", round(durationMillis))
                    .put("billedDurationMs", billedMillis)
                    .put("memorySizeMB", function.memoryMb())
                    .put("maxMemoryUsedMB", maxMemoryUsedMb);
            if (initMillis > 0) {
                metrics.put("initDurationMs", round(initMillis));
            }
            record.put("status", status.reportName());
            write(platform("platform.report", record));
        } else {
            write("END RequestId: " + requestId);
            write(String.format(
                    Locale.ROOT,
                    "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB"
                            + "\tMax Memory Used: %d MB%s%s",
                    requestId,
                    durationMillis,
                    billedMillis,
                    function.memoryMb(),
                    maxMemoryUsedMb,
                    initMillis > 0 ? String.format(Locale.ROOT, "\tInit Duration: %.2f ms", initMillis) : "",
                    status == InvocationResult.Status.SUCCESS ? "" : "\tStatus: " + status.reportName()));
        }
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }

    private static String platform(String type, ObjectNode record) {
        ObjectNode line = Json.MAPPER
                .createObjectNode()
                .put("time", Instant.now().toString())
                .put("type", type);
        line.set("record", record);
        return Json.write(line);
    }

    private static final class FileLog extends FunctionLog {
        private final Path file;
        private final OutputStream platformLines;

        FileLog(Path file) {
            this.file = file.toAbsolutePath();
            try {
                Files.createDirectories(this.file.getParent());
                this.platformLines = new FileOutputStream(this.file.toFile(), true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the function log " + file, e);
            }
        }

        @Override
        void connect(ProcessBuilder builder) {
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile()));
        }

        @Override
        void connected(Process process) {
            // The JVM writes to the file itself.
        }

        @Override
        synchronized void write(String line) {
            try {
                // One write per line: the function JVMs append to the same file between them.
                platformLines.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() {
            try {
                platformLines.close();
            } catch (IOException ignored) {
                // Every line was written unbuffered; nothing is lost.
            }
        }
    }

    private static final class WriterLog extends FunctionLog {
        private final java.io.PrintWriter writer;
        private final java.util.List<Thread> copiers = new java.util.concurrent.CopyOnWriteArrayList<>();

        WriterLog(java.io.PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        void connect(ProcessBuilder builder) {
            builder.redirectErrorStream(true);
        }

        @Override
        void connected(Process process) {
            Thread copier = new Thread(
                    () -> {
                        try (java.io.Reader output =
                                new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                            char[] buffer = new char[8192];
                            for (int read; (read = output.read(buffer)) > 0; ) {
                                synchronized (this) {
                                    writer.write(buffer, 0, read);
                                    writer.flush();
                                }
                            }
                        } catch (IOException ended) {
                            // The JVM was stopped; what it printed before is out.
                        }
                    },
                    "function-output-" + process.pid());
            copier.setDaemon(true);
            copiers.add(copier);
            copier.start();
        }

        @Override
        synchronized void write(String line) {
            writer.println(line);
            writer.flush();
        }

        /** Waits until what the stopped JVMs printed is copied; the writer itself belongs to the caller. */
        @Override
        public void close() {
            for (Thread copier : copiers) {
                try {
                    copier.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
