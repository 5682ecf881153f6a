package dev.tollgate.bench.coldstart;

import dev.tollgate.bench.coldstart.ProbeLauncher.ClassCount;
import dev.tollgate.bench.coldstart.ProbeLauncher.Launch;
import dev.tollgate.bench.perf.MarkdownTable;
import dev.tollgate.bench.perf.Spread;
import dev.tollgate.local.LocalStack;
import dev.tollgate.local.RepositoryFiles;
import dev.tollgate.local.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The SDK HTTP clients side by side, in the shape of the decide function (its jar, CloudWatch, an analysis
 * tick's two calls against the local stack): a fresh JVM per run for each of url-connection, Apache
 * and CRT, interleaved with the hello-world jar; the time to the first tick's answers, the ratio to
 * hello-world, the classes loaded and the bytes each client adds, and the latency of warm ticks.
 */
public final class HttpClientBench {

    static final List<String> CLIENTS = List.of("url-connection", "apache", "crt");
    static final String PROBE = "dev.tollgate.bench.coldstart.probe.http.HttpClientProbe";
    static final String ALARM = "httpclients-canary-errors";

    public record Options(int runs, int warmTicks, java.util.Optional<Path> workDirectory) {}

    private HttpClientBench() {}

    public static void run(Options options, PrintStream out) throws IOException {
        Path repository = RepositoryFiles.root();
        Path benchTarget = repository.resolve("bench").resolve("target");
        Path decideJar = repository.resolve("functions/decide/target/decide.jar");
        Path work = options.workDirectory().isPresent()
                ? Files.createDirectories(options.workDirectory().get())
                : Files.createTempDirectory("tollgate-httpclients");
        ProbeLauncher launcher = new ProbeLauncher(
                benchTarget.resolve("tollgate-coldstart-probe.jar"), work.resolve("probe-stderr.log"));
        // Every probe runs in decide's sandbox: the HTTP clients are compared inside the JVM Lambda gives decide.
        int memoryMb = SamTemplate.read(RepositoryFiles.template())
                .functions()
                .get("DecideFunction")
                .memoryMb();
        Map<String, List<Path>> classPaths = new LinkedHashMap<>();
        classPaths.put("url-connection", List.of(decideJar));
        classPaths.put("apache", withJars(decideJar, benchTarget.resolve("http-clients/apache")));
        classPaths.put("crt", withJars(decideJar, benchTarget.resolve("http-clients/crt")));
        out.println("starting the local stack (moto) in " + work + " ...");
        try (LocalStack stack = LocalStack.start(work)) {
            prepare(stack);
            Map<String, String> environment = Map.of("AWS_REGION", LocalStack.REGION, "HOME", work.toString());
            List<String> arguments =
                    List.of(stack.moto().endpoint().toString(), ALARM, String.valueOf(options.warmTicks()));
            Path helloEvent = Files.writeString(work.resolve("hello-event.json"), "{}");
            Map<String, List<Launch>> runs = new LinkedHashMap<>();
            List<Double> hello = new ArrayList<>();
            for (int round = -1; round < options.runs(); round++) {
                // Round -1 warms the page cache and moto, and is not counted.
                hello.add(launcher.run(
                                List.of(benchTarget.resolve(ColdStartBench.HELLO + ".jar")),
                                ColdStartBench.HELLO_HANDLER,
                                helloEvent,
                                environment,
                                memoryMb,
                                List.of())
                        .wallMillis());
                for (int i = 0; i < CLIENTS.size(); i++) {
                    String client = CLIENTS.get(Math.floorMod(i + round, CLIENTS.size()));
                    List<String> clientArguments = new ArrayList<>(List.of(client));
                    clientArguments.addAll(arguments);
                    Launch launch = launcher.launch(
                            classPaths.get(client),
                            PROBE,
                            clientArguments,
                            environment,
                            memoryMb,
                            List.of(),
                            "HTTPPROBE ");
                    if (round >= 0) {
                        runs.computeIfAbsent(client, key -> new ArrayList<>()).add(launch);
                    }
                }
                out.print(".");
                out.flush();
            }
            hello.remove(0);
            out.println();
            MarkdownTable table = new MarkdownTable(
                    "HTTP client",
                    "jars added (MB)",
                    "classes loaded (from jars)",
                    "JVM start to first tick answered (ms)",
                    "ratio to hello-world",
                    "clients built (ms)",
                    "first tick (ms)",
                    "warm tick, median of medians (ms)",
                    "warm tick p90 (ms)");
            for (String client : CLIENTS) {
                List<Launch> launches = runs.get(client);
                List<Double> toFirstTick = launches.stream()
                        .map(launch -> launch.wallMillis() - launch.number("firstTickToLineMillis"))
                        .toList();
                List<Double> ratios = new ArrayList<>();
                for (int round = 0; round < launches.size(); round++) {
                    ratios.add(toFirstTick.get(round) / hello.get(round));
                }
                ClassCount classes = launcher.countClasses(
                        classPaths.get(client),
                        PROBE,
                        concat(client, arguments),
                        environment,
                        memoryMb,
                        "HTTPPROBE ",
                        work.resolve("classes-" + client + ".log"));
                table.row(
                        client,
                        String.format(Locale.ROOT, "%.2f", addedBytes(classPaths.get(client)) / 1_000_000.0),
                        classes.total() + " (" + classes.fromJar() + ")",
                        Spread.of(toFirstTick).format(0),
                        Spread.of(ratios).format(2),
                        spread(launches, "buildMillis").format(0),
                        spread(launches, "firstTickMillis").format(0),
                        spread(launches, "warmMedianMillis").format(2),
                        spread(launches, "warmP90Millis").format(2));
            }
            out.println();
            out.println(options.runs() + " runs each, interleaved; " + options.warmTicks()
                    + " warm ticks per run (GetMetricData of 6 "
                    + "metrics + DescribeAlarms) against moto on 127.0.0.1 (plain HTTP: no TLS handshake is measured)");
            out.println();
            out.print(table);
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static Spread spread(List<Launch> launches, String field) {
        return Spread.of(launches.stream().map(launch -> launch.number(field)).toList());
    }

    /** The bytes a client's jars add to the function's. */
    private static long addedBytes(List<Path> classPath) {
        long bytes = 0;
        for (Path jar : classPath.subList(1, classPath.size())) {
            try {
                bytes += Files.size(jar);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes;
    }

    private static List<Path> withJars(Path functionJar, Path folder) {
        List<Path> classPath = new ArrayList<>(List.of(functionJar));
        try (Stream<Path> jars = Files.list(folder)) {
            jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(classPath::add);
        } catch (IOException e) {
            throw new UncheckedIOException(folder + " is missing; build with ./mvnw -DskipTests package", e);
        }
        return classPath;
    }

    /** Ten minutes of a tick's six series, and its alarm, so that every call answers with data. */
    private static void prepare(LocalStack stack) {
        try (CloudWatchClient cloudWatch = stack.cloudWatch()) {
            Instant now = Instant.now();
            List<MetricDatum> data = new ArrayList<>();
            for (String version : List.of("v41", "v42")) {
                Dimension dimension =
                        Dimension.builder().name("Version").value(version).build();
                for (int minute = 1; minute <= 10; minute++) {
                    Instant at = now.minusSeconds(60L * minute);
                    data.add(MetricDatum.builder()
                            .metricName("Requests")
                            .dimensions(dimension)
                            .timestamp(at)
                            .value(1000.0)
                            .build());
                    data.add(MetricDatum.builder()
                            .metricName("Errors")
                            .dimensions(dimension)
                            .timestamp(at)
                            .value(3.0)
                            .build());
                    data.add(MetricDatum.builder()
                            .metricName("Latency")
                            .dimensions(dimension)
                            .timestamp(at)
                            .values(80.0, 90.0, 120.0, 300.0)
                            .build());
                }
            }
            cloudWatch.putMetricData(put -> put.namespace("App").metricData(data));
            cloudWatch.putMetricAlarm(alarm -> alarm.alarmName(ALARM)
                    .namespace("App")
                    .metricName("Errors")
                    .statistic(Statistic.SUM)
                    .period(60)
                    .evaluationPeriods(1)
                    .threshold(100.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        }
    }
}
