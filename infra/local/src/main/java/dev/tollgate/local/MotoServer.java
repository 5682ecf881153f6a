package dev.tollgate.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * moto in server mode, started from {@code moto_launcher.py} on a free 127.0.0.1 port, with the extensions of its
 * package {@code moto_ext} (one module per AWS service). This object owns the Python process: it stops it by closing
 * its standard input and, if need be, by its PID.
 */
public final class MotoServer implements AutoCloseable {

    private static final String LAUNCHER = "moto_launcher.py";

    /**
     * Every file the launcher needs, as resources beside this class: copied together to the directory python runs
     * in. MotoServerTest checks that every .py of the package is listed, so a new module cannot be left behind.
     */
    static final List<String> LAUNCHER_FILES = List.of(
            LAUNCHER,
            "moto_ext/__init__.py",
            "moto_ext/awslambda.py",
            "moto_ext/cloudwatch.py",
            "moto_ext/codedeploy.py",
            "moto_ext/codepipeline.py",
            "moto_ext/ecs.py",
            "moto_ext/elbv2.py",
            "moto_ext/events.py",
            "moto_ext/stepfunctions.py");

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    public static MotoServer start(URI lambdaEndpoint, Path workDirectory) {
        requireMoto();
        try {
            Files.createDirectories(workDirectory);
            copyLauncherFiles(workDirectory);
            Path launcher = workDirectory.resolve(LAUNCHER);
            Path log = workDirectory.resolve("moto.log");
            Process process = new ProcessBuilder(List.of(
                            python(), "-u", launcher.toString(), "--lambda-endpoint", lambdaEndpoint.toString()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(process));
            String line;
            try {
                line = ready.get(90, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException e) {
                process.destroyForcibly();
                throw new IllegalStateException("moto did not start within 90 s; see " + log + tail(log), e);
            }
            if (line == null || !line.startsWith("READY ")) {
                process.destroyForcibly();
                throw new IllegalStateException("moto failed to start; see " + log + tail(log));
            }
            int port = Integer.parseInt(line.substring("READY ".length()).trim());
            Thread drain = new Thread(
                    () -> {
                        try {
                            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                        } catch (IOException closed) {
                            // moto stopped.
                        }
                    },
                    "moto-stdout");
            drain.setDaemon(true);
            drain.start();
            return new MotoServer(process, URI.create("http://127.0.0.1:" + port), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto", e);
        }
    }

    /** Copies the launcher and its package, as they sit beside this class, into {@code directory}. */
    static void copyLauncherFiles(Path directory) throws IOException {
        for (String file : LAUNCHER_FILES) {
            Path copy = directory.resolve(file);
            Files.createDirectories(copy.getParent());
            try (InputStream source = MotoServer.class.getResourceAsStream(file)) {
                if (source == null) {
                    throw new IOException("the launcher file " + file + " is not on the class path beside "
                            + MotoServer.class.getName());
                }
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    private static String readyLine(Process process) {
        try {
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    static String python() {
        String configured = System.getenv("TOLLGATE_PYTHON");
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    /** Says how to get moto rather than failing later with a Python traceback. */
    static void requireMoto() {
        try {
            Process check = new ProcessBuilder(
                            python(), "-c", "import moto, sys; sys.exit(0 if moto.__version__.startswith('5.') else 3)")
                    .redirectErrorStream(true)
                    .start();
            check.getInputStream().readAllBytes();
            int status = check.waitFor();
            if (status != 0) {
                throw new IllegalStateException("the local stack needs moto 5.x in server mode for " + python()
                        + ": install it with `" + python() + " -m pip install 'moto[server]==5.2.1'`"
                        + (status == 3 ? " (another moto version is installed)" : ""));
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the local stack needs python3 with moto 5.2.1 (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking for moto", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The process may already be gone.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
