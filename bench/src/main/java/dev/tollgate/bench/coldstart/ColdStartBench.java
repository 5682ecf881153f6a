package dev.tollgate.bench.coldstart;

import dev.tollgate.aws.AwsCallCountFiles;
import dev.tollgate.aws.AwsCallCounter;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.bench.coldstart.ProbeLauncher.ClassCount;
import dev.tollgate.bench.coldstart.ProbeLauncher.ProbeResult;
import dev.tollgate.bench.perf.MarkdownTable;
import dev.tollgate.bench.perf.Spread;
import dev.tollgate.local.LocalStack;
import dev.tollgate.local.RepositoryFiles;
import dev.tollgate.local.SamTemplate;
import dev.tollgate.local.SamTemplate.FunctionDefinition;
import dev.tollgate.local.runtime.ExecutionEnvironments;
import dev.tollgate.local.runtime.FunctionConfiguration;
import dev.tollgate.local.runtime.RuntimeInterfaceClient;
import dev.tollgate.local.runtime.TaskRoot;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cold-start benchmark: for each function's deployable jar, a fresh JVM per run that loads the
 * jar, builds the handler with its no-argument constructor (its SDK clients built) and serves one
 * real invocation against the local stack; the same for a hello-world handler jar in the same
 * rounds. Rounds interleave every jar, so the machine's load drifts alike for all; each function's
 * time is divided by the hello-world time of its own round, and the medians of those ratios are reported.
 */
public final class ColdStartBench {

    static final String HELLO = "hello-world";
    static final String HELLO_HANDLER = "dev.tollgate.bench.coldstart.hello.HelloWorldHandler";
    /** The function whose sample, environment and memory the hello-world jar runs with. */
    static final String HELLO_SANDBOX = "ValidateRequestFunction";
    /** Lambda sets it during a SnapStart function's init; Tollgate registers its priming only then. */
    static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    /** The JVM flags template.yaml gives every function; a baseline may run with others. */
    static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

    private static final String PRIMED = " primed";
    private static final String BASELINE = " (baseline)";
    /** Which invocation of a primed run is reported as warm: the third, once the first's and second's paths have run. */
    private static final int WARM_INVOCATION = 3;

    /**
     * What to run: how many rounds, which functions, a baseline to compare in the same rounds (other jars, other
     * {@code JAVA_TOOL_OPTIONS} than the template's, classes read from the packed jar instead of the unpacked task
     * root, or any of them together), priming on or off or both.
     */
    public record Options(
            int runs,
            List<String> functions,
            Optional<Path> baselineJars,
            Optional<String> baselineJavaToolOptions,
            boolean baselineFromJar,
            boolean comparePriming,
            Optional<Path> workDirectory) {}

    /** One jar run one way, and every round's result. */
    private record Target(
            String label,
            String function,
            String handlerClass,
            List<Path> classPath,
            long jarBytes,
            int classFiles,
            Map<String, String> environment,
            int memoryMb,
            List<String> probeOptions,
            List<ProbeResult> results) {}

    private ColdStartBench() {}

    public static void run(Options options, PrintStream out) throws IOException {
        Path repository = RepositoryFiles.root();
        Path benchTarget = repository.resolve("bench").resolve("target");
        Path work = options.workDirectory().isPresent()
                ? Files.createDirectories(options.workDirectory().get())
                : Files.createTempDirectory("tollgate-coldstart");
        ProbeLauncher launcher = new ProbeLauncher(
                require(benchTarget.resolve("tollgate-coldstart-probe.jar")), work.resolve("probe-stderr.log"));
        out.println("starting the local stack (moto) in " + work + " ...");
        // No function JVM starts with the stack: they would compete with the cold starts measured here.
        try (LocalStack stack = LocalStack.start(
                work, dev.tollgate.local.FaultPlan.NONE, 0, ExecutionEnvironments.Limits.DEFAULT, false)) {
            SampleEvents events = new SampleEvents(stack, work.resolve("events"));
            events.prepare();
            TaskRoots taskRoots = new TaskRoots(
                    work.resolve("task"),
                    RuntimeInterfaceClient.locate(repository, work.resolve("runtime"))
                            .classPath());
            List<Target> targets = targets(repository, benchTarget, stack, options, taskRoots);
            out.println(String.format(
                    Locale.ROOT,
                    "%d jars x %d runs, interleaved, each package unpacked and read as Lambda's runtime reads it; JVM %s"
                            + " %s; flags %s; JAVA_TOOL_OPTIONS %s",
                    targets.size(),
                    options.runs(),
                    System.getProperty("java.vm.name"),
                    System.getProperty("java.version"),
                    ProbeLauncher.lambdaJvmFlags(targets.get(0).memoryMb()),
                    targets.get(0).environment().getOrDefault(JAVA_TOOL_OPTIONS, "(none)")));
            // One round first, not counted: it fills the page cache with the jars and warms moto's code paths.
            runRound(targets, events, launcher, -1);
            for (int round = 0; round < options.runs(); round++) {
                runRound(targets, events, launcher, round);
                out.print(".");
                out.flush();
            }
            out.println();
            Map<String, ClassCount> classes = new LinkedHashMap<>();
            for (Target target : targets) {
                if (!classes.containsKey(target.label())
                        && target.probeOptions().isEmpty()) {
                    classes.put(
                            target.label(),
                            launcher.countClasses(
                                    target.classPath(),
                                    target.handlerClass(),
                                    eventFor(target, events, 10_000 + classes.size()),
                                    target.environment(),
                                    target.memoryMb(),
                                    work.resolve("classes-" + target.label() + ".log")));
                }
            }
            out.println();
            out.print(table(targets, classes));
            if (options.comparePriming()) {
                out.println();
                out.print(primingTable(targets));
            }
            failures(targets).forEach(out::println);
        }
    }

    private static void runRound(List<Target> targets, SampleEvents events, ProbeLauncher launcher, int round) {
        // Start each round at another jar, so no jar always runs right after the same neighbour.
        int offset = Math.floorMod(round, targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get((i + offset) % targets.size());
            Path event = eventFor(target, events, round < 0 ? 20_000 + i : round * 100 + i);
            ProbeResult result = launcher.run(
                    target.classPath(),
                    target.handlerClass(),
                    event,
                    target.environment(),
                    target.memoryMb(),
                    target.probeOptions());
            if (round >= 0) {
                target.results().add(result);
            }
        }
    }

    /** The hello-world function reads whatever it gets: it gets the validation sample. */
    private static Path eventFor(Target target, SampleEvents events, int run) {
        return events.event(target.function().equals(HELLO) ? HELLO_SANDBOX : target.function(), run);
    }

    private static List<Target> targets(
            Path repository, Path benchTarget, LocalStack stack, Options options, TaskRoots taskRoots) {
        SamTemplate template = SamTemplate.read(RepositoryFiles.template());
        List<Target> targets = new ArrayList<>();
        Path helloJar = require(benchTarget.resolve(HELLO + ".jar"));
        List<Path> helloClassPath = taskRoots.classPath(helloJar);
        // Hello-world runs in the sandbox of the function whose sample it reads, so its JVM is sized alike.
        FunctionDefinition sandbox = template.functions().get(HELLO_SANDBOX);
        Map<String, String> helloEnvironment = lambdaEnvironment(
                sandbox,
                HELLO_HANDLER,
                stack.functionEnvironments().get(HELLO_SANDBOX),
                helloJar,
                taskRoots.root(helloJar));
        int helloMemory = sandbox.memoryMb();
        targets.add(target(
                HELLO, HELLO, HELLO_HANDLER, helloJar, helloClassPath, -1, helloEnvironment, helloMemory, List.of()));
        for (FunctionDefinition function : template.functions().values()) {
            if (!options.functions().isEmpty() && !options.functions().contains(function.logicalId())) {
                continue;
            }
            FunctionJar jar =
                    FunctionJar.locate(repository, Optional.empty(), function.logicalId(), function.handlerClass());
            List<Path> classPath = taskRoots.classPath(jar.jar());
            Map<String, String> environment = lambdaEnvironment(
                    function,
                    function.handler(),
                    stack.functionEnvironments().get(function.logicalId()),
                    jar.jar(),
                    taskRoots.root(jar.jar()));
            targets.add(target(
                    jar.module(),
                    function.logicalId(),
                    function.handlerClass(),
                    jar.jar(),
                    classPath,
                    jar.classFiles(),
                    environment,
                    function.memoryMb(),
                    List.of()));
            if (options.comparePriming()) {
                targets.add(primed(jar, classPath, jar.module(), environment, function.memoryMb()));
            }
            if (options.baselineJars().isPresent()
                    || options.baselineJavaToolOptions().isPresent()
                    || options.baselineFromJar()) {
                FunctionJar baseline = FunctionJar.locate(
                        repository, options.baselineJars(), function.logicalId(), function.handlerClass());
                String label = baseline.module() + BASELINE;
                Map<String, String> baselineEnvironment = new HashMap<>(environment);
                options.baselineJavaToolOptions().ifPresent(flags -> baselineEnvironment.put(JAVA_TOOL_OPTIONS, flags));
                // The benchmark's class path before it unpacked packages as Lambda does: the shaded jar itself.
                List<Path> baselineClassPath = options.baselineFromJar()
                        ? taskRoots.packedClassPath(baseline.jar())
                        : taskRoots.classPath(baseline.jar());
                targets.add(target(
                        label,
                        function.logicalId(),
                        function.handlerClass(),
                        baseline.jar(),
                        baselineClassPath,
                        baseline.classFiles(),
                        baselineEnvironment,
                        function.memoryMb(),
                        List.of()));
                if (options.comparePriming()) {
                    targets.add(primed(baseline, baselineClassPath, label, baselineEnvironment, function.memoryMb()));
                }
            }
        }
        return targets;
    }

    /** The jar run as SnapStart would: its priming first (the probe's --prime), then the first invocation. */
    private static Target primed(
            FunctionJar jar, List<Path> classPath, String label, Map<String, String> environment, int memoryMb) {
        Map<String, String> snapStart = new HashMap<>(environment);
        snapStart.put(INITIALIZATION_TYPE, "snap-start");
        return target(
                label + PRIMED,
                jar.function(),
                jar.handlerClass(),
                jar.jar(),
                classPath,
                jar.classFiles(),
                snapStart,
                memoryMb,
                List.of("--prime", "--invocations", String.valueOf(WARM_INVOCATION)));
    }

    private static Target target(
            String label,
            String function,
            String handlerClass,
            Path jar,
            List<Path> classPath,
            int classFiles,
            Map<String, String> environment,
            int memoryMb,
            List<String> probeOptions) {
        long bytes;
        try {
            bytes = Files.size(jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int files = classFiles >= 0 ? classFiles : new FunctionJar(function, label, handlerClass, jar).classFiles();
        return new Target(
                label,
                function,
                handlerClass,
                classPath,
                bytes,
                files,
                environment,
                memoryMb,
                probeOptions,
                new ArrayList<>());
    }

    /**
     * Each jar unpacked once per run, under its own folder (every target of that jar reads the same task root), behind
     * the runtime's own jars, as Lambda's Java runtime loads them: the runtime's on the system class path, the
     * function's from its task root.
     */
    private static final class TaskRoots {
        private final Path folder;
        private final List<Path> runtimeJars;
        private final Map<Path, TaskRoot> roots = new HashMap<>();

        TaskRoots(Path folder, List<Path> runtimeJars) {
            this.folder = folder;
            this.runtimeJars = List.copyOf(runtimeJars);
        }

        Path root(Path jar) {
            return unpacked(jar).directory();
        }

        List<Path> classPath(Path jar) {
            return withRuntime(unpacked(jar).classPath());
        }

        /** The benchmark's class path before it unpacked packages: the shaded jar itself. */
        List<Path> packedClassPath(Path jar) {
            return withRuntime(List.of(jar));
        }

        private List<Path> withRuntime(List<Path> function) {
            List<Path> classPath = new ArrayList<>(runtimeJars);
            classPath.addAll(function);
            return classPath;
        }

        private TaskRoot unpacked(Path jar) {
            return roots.computeIfAbsent(jar.toAbsolutePath().normalize(), packed -> {
                Path root = folder.resolve(String.valueOf(roots.size()));
                // A work folder given again keeps the last run's task roots: unpack afresh, the jar may have changed.
                deleteTree(root);
                return TaskRoot.unpack(packed, root);
            });
        }

        private static void deleteTree(Path root) {
            if (!Files.exists(root)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clear " + root, e);
            }
        }
    }

    /**
     * The function's environment as Lambda gives it, its reserved variables included (the log level Powertools applies
     * at start-up, the task root, the time zone), as the local stack gives its own functions; without the local
     * stack's call counting and call log (an interceptor and a locked file append per call, which no function on Lambda
     * has).
     */
    private static Map<String, String> lambdaEnvironment(
            FunctionDefinition function, String handler, FunctionEnvironment local, Path jar, Path taskRoot) {
        Map<String, String> variables = new HashMap<>(local.variables());
        variables.remove(AwsCallCounter.SWITCH);
        variables.remove(AwsCallCounter.CALLS_FILE);
        variables.remove(AwsCallCountFiles.DIRECTORY);
        variables.put(AwsCallCounter.FUNCTION_NAME, function.logicalId());
        FunctionConfiguration configuration = new FunctionConfiguration(
                function.logicalId(),
                function.logicalId(),
                handler,
                jar,
                function.memoryMb(),
                function.timeoutSeconds(),
                function.logFormat(),
                function.applicationLogLevel(),
                variables);
        return new HashMap<>(configuration.lambdaEnvironment(taskRoot));
    }

    private static String table(List<Target> targets, Map<String, ClassCount> classes) {
        Target hello = targets.get(0);
        MarkdownTable table = new MarkdownTable(
                "jar",
                "size (MB)",
                "classes in jar",
                "classes loaded (from jar)",
                "JVM start to first response (ms)",
                "ratio to hello-world",
                "constructor (ms)",
                "first invocation (ms)");
        for (Target target : targets) {
            if (!target.probeOptions().isEmpty()) {
                continue;
            }
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < target.results().size(); round++) {
                ratios.add(target.results().get(round).wallMillis()
                        / hello.results().get(round).wallMillis());
            }
            ClassCount count = classes.get(target.label());
            table.row(
                    target.label(),
                    String.format(Locale.ROOT, "%.1f", target.jarBytes() / 1_000_000.0),
                    target.classFiles(),
                    count == null ? "-" : count.total() + " (" + count.fromJar() + ")",
                    spread(target, ProbeResult::wallMillis).format(0),
                    Spread.of(ratios).format(2),
                    spread(target, ProbeResult::constructMillis).format(0),
                    spread(target, ProbeResult::firstInvokeMillis).format(0));
        }
        return table.toString();
    }

    /** Priming, as SnapStart's beforeCheckpoint would run it, against none: the first invocation's time, and what priming took. */
    private static String primingTable(List<Target> targets) {
        MarkdownTable table = new MarkdownTable(
                "function",
                "first invocation, no priming (ms)",
                "first invocation after priming (ms)",
                "priming (ms)",
                "constructor + priming, at snapshot (ms)",
                "a warm invocation, the " + ordinal(WARM_INVOCATION) + " (ms)");
        for (Target primed : targets) {
            if (primed.probeOptions().isEmpty()) {
                continue;
            }
            String plainLabel = primed.label().substring(0, primed.label().length() - PRIMED.length());
            Target plain = targets.stream()
                    .filter(target -> target.label().equals(plainLabel))
                    .findFirst()
                    .orElseThrow();
            table.row(
                    plain.label(),
                    spread(plain, ProbeResult::firstInvokeMillis).format(0),
                    spread(primed, ProbeResult::firstInvokeMillis).format(0),
                    spread(primed, ProbeResult::primeMillis).format(0),
                    spread(primed, result -> result.constructMillis() + result.primeMillis())
                            .format(0),
                    warm(primed));
        }
        return table.toString();
    }

    /**
     * The same event served again in the same JVM: what is left when nothing is cold (the emulator's answers and the
     * code's own work), the floor under the first invocation after priming. "refused" where the sample is not
     * idempotent (a CodePipeline job already failed cannot fail again).
     */
    private static String warm(Target primed) {
        if (!primed.results().stream().allMatch(ProbeResult::lastOk)) {
            return "refused";
        }
        return spread(primed, ProbeResult::lastInvokeMillis).format(0);
    }

    private static String ordinal(int invocation) {
        return switch (invocation) {
            case 2 -> "second";
            case 3 -> "third";
            default -> invocation + "th";
        };
    }

    private static Spread spread(Target target, java.util.function.ToDoubleFunction<ProbeResult> measure) {
        return Spread.of(target.results().stream().map(measure::applyAsDouble).toList());
    }

    private static List<String> failures(List<Target> targets) {
        List<String> failures = new ArrayList<>();
        for (Target target : targets) {
            target.results().stream()
                    .filter(result -> !result.ok())
                    .findFirst()
                    .ifPresent(result -> failures.add("note: " + target.label() + " answered with an error in "
                            + target.results().stream().filter(r -> !r.ok()).count() + " runs: " + result.status()));
        }
        return failures;
    }

    private static Path require(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing; build with ./mvnw -DskipTests package");
        }
        return file;
    }
}
