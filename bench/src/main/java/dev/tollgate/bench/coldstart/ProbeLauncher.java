package dev.tollgate.bench.coldstart;

import dev.tollgate.local.runtime.RuntimeInterfaceClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Starts one fresh JVM per cold start, as Lambda does: the runtime's jars, the function's unpacked package and the
 * probe on the class path, the function's environment (Lambda's reserved variables included) and nothing else, the JVM flags of Lambda's Java runtime and of
 * {@code template.yaml}'s {@code JAVA_TOOL_OPTIONS}. Times the whole run from here, from just before
 * the process starts to the line the probe prints after the first response.
 */
final class ProbeLauncher {

    /**
     * The flags Lambda's Java runtime starts a function's JVM with, for its memory: the heap, metaspace and code cache
     * sized from it, and the JVM told that it is the machine's memory, so that the initial heap and the collections
     * during a cold start are Lambda's and not this machine's (a 64th of this machine's 23.5 GB is a 376 MB first
     * heap: no young collection at all); the serial collector, class data sharing, C1 only. The template's
     * {@code JAVA_TOOL_OPTIONS} come through the environment.
     */
    static List<String> lambdaJvmFlags(int memoryMb) {
        return RuntimeInterfaceClient.lambdaJvmOptions(memoryMb);
    }

    static final String PROBE_MAIN = "dev.tollgate.bench.coldstart.probe.ColdStartProbe";
    /** Where the local stack keeps Lambda's runtime jars, which the probe's class path starts with. */
    private static final String RUNTIME_FOLDER = "/lambda-runtime/";

    private final Path javaCommand = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Path probeJar;
    private final Path log;

    ProbeLauncher(Path probeJar, Path log) {
        this.probeJar = probeJar;
        this.log = log;
    }

    /** What one cold start measured: the wall time seen from outside, the probe's own phases, and the outcome. */
    record ProbeResult(
            double wallMillis,
            double constructMillis,
            double primeMillis,
            double firstInvokeMillis,
            double lastInvokeMillis,
            String status,
            String lastStatus) {
        boolean ok() {
            return "ok".equals(status);
        }

        /** The last of several invocations succeeded too: its time is a warm invocation's. */
        boolean lastOk() {
            return ok() && "ok".equals(lastStatus);
        }
    }

    /** One timed cold start of {@code handlerClass} from {@code classPath}, serving {@code event}. */
    ProbeResult run(
            List<Path> classPath,
            String handlerClass,
            Path event,
            Map<String, String> environment,
            int memoryMb,
            List<String> probeOptions) {
        return launch(classPath, handlerClass, event, environment, memoryMb, probeOptions, List.of());
    }

    /** How many classes one cold start loads: total, and how many came from the function's jar. */
    record ClassCount(int total, int fromJar) {}

    ClassCount countClasses(
            List<Path> classPath,
            String handlerClass,
            Path event,
            Map<String, String> environment,
            int memoryMb,
            Path classLog) {
        return countClasses(
                classPath,
                PROBE_MAIN,
                List.of(handlerClass, event.toString()),
                environment,
                memoryMb,
                "PROBE ",
                classLog);
    }

    /** As {@link #launch}, logging every class loaded to {@code classLog}, and counting them. */
    ClassCount countClasses(
            List<Path> classPath,
            String mainClass,
            List<String> arguments,
            Map<String, String> environment,
            int memoryMb,
            String resultPrefix,
            Path classLog) {
        try {
            Files.deleteIfExists(classLog);
            Launch launch = launch(
                    classPath,
                    mainClass,
                    arguments,
                    environment,
                    memoryMb,
                    List.of("-Xlog:class+load=info:file=" + classLog),
                    resultPrefix);
            String status = launch.fields().get("status");
            if (status != null && !"ok".equals(status)) {
                throw new IllegalStateException(arguments.get(0) + " failed while counting classes: " + status);
            }
            try (Stream<String> lines = Files.lines(classLog)) {
                List<String> loaded =
                        lines.filter(line -> line.contains(" source: ")).toList();
                // The function's own classes come from its package ("source: file:..."); the JDK's from the CDS
                // archive or jrt:/; the runtime's (its jars' folder, as on Lambda) are not the function's either.
                int fromJars = (int) loaded.stream()
                        .filter(line -> line.contains("source: file:") || line.contains("source: jar:"))
                        .filter(line -> !line.contains(RUNTIME_FOLDER))
                        .count();
                // The probe's classes are not the function's.
                int probe = (int) loaded.stream()
                        .filter(line -> line.contains("dev.tollgate.bench.coldstart.probe."))
                        .count();
                return new ClassCount(loaded.size() - probe, fromJars - probe);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProbeResult launch(
            List<Path> classPath,
            String handlerClass,
            Path event,
            Map<String, String> environment,
            int memoryMb,
            List<String> probeOptions,
            List<String> extraJvmFlags) {
        List<String> arguments = new ArrayList<>(List.of(handlerClass, event.toString()));
        arguments.addAll(probeOptions);
        Launch launch = launch(classPath, PROBE_MAIN, arguments, environment, memoryMb, extraJvmFlags, "PROBE ");
        Map<String, String> fields = launch.fields();
        return new ProbeResult(
                launch.wallMillis(),
                number(fields, "constructMillis"),
                number(fields, "primeMillis"),
                number(fields, "firstInvokeMillis"),
                number(fields, "lastInvokeMillis"),
                fields.get("status"),
                fields.getOrDefault("lastStatus", fields.get("status")));
    }

    /** A probe's run: the wall time until it printed its result line, and that line's fields. */
    record Launch(double wallMillis, Map<String, String> fields) {
        double number(String name) {
            return ProbeLauncher.number(fields, name);
        }
    }

    /**
     * Runs {@code mainClass} in a fresh JVM with {@code classPath} and the probe jar, the function's
     * environment only, sized as Lambda sizes a function of {@code memoryMb}, and times it until it prints the line
     * starting with {@code resultPrefix}.
     */
    Launch launch(
            List<Path> classPath,
            String mainClass,
            List<String> arguments,
            Map<String, String> environment,
            int memoryMb,
            List<String> extraJvmFlags,
            String resultPrefix) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand.toString());
        command.addAll(lambdaJvmFlags(memoryMb));
        command.addAll(extraJvmFlags);
        command.add("-cp");
        List<Path> path = new ArrayList<>(classPath);
        path.add(probeJar);
        command.add(path.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
        command.add(mainClass);
        command.addAll(arguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The function's environment only, as on Lambda: nothing of this shell's leaks in.
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            long started = System.nanoTime();
            Process process = builder.start();
            String resultLine = null;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(resultPrefix)) {
                        resultLine = line;
                        break;
                    }
                }
                double wallMillis = (System.nanoTime() - started) / 1_000_000.0;
                out.transferTo(java.io.Writer.nullWriter());
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                if (resultLine == null) {
                    throw new IllegalStateException(mainClass + " " + arguments + ": no result line (exit "
                            + process.exitValue() + "); see " + log);
                }
                return new Launch(wallMillis, fields(resultLine, resultPrefix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + javaCommand, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code PROBE a=1 b=2 status=error:X:message with spaces}: status is last and takes the rest of the line. */
    static Map<String, String> fields(String resultLine, String prefix) {
        Map<String, String> fields = new LinkedHashMap<>();
        String rest = resultLine.substring(prefix.length());
        int status = rest.indexOf("status=");
        if (status >= 0) {
            fields.put("status", rest.substring(status + "status=".length()).trim());
            rest = rest.substring(0, status);
        }
        for (String pair : rest.trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                fields.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return fields;
    }

    static double number(Map<String, String> fields, String name) {
        String value = fields.get(name);
        return value == null ? Double.NaN : Double.parseDouble(value);
    }
}
