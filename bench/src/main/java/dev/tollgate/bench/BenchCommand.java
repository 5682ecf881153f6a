package dev.tollgate.bench;

import dev.tollgate.bench.budget.BudgetBench;
import dev.tollgate.bench.coldstart.ColdStartBench;
import dev.tollgate.bench.coldstart.HttpClientBench;
import dev.tollgate.bench.reference.FixedHorizonJudge;
import dev.tollgate.bench.reference.MannWhitneyJudge;
import dev.tollgate.bench.reference.StaticAlarmJudge;
import dev.tollgate.bench.reference.ThresholdJudge;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.ScenarioFiles;
import dev.tollgate.bench.scenario.ScenarioGenerator;
import dev.tollgate.judge.SequentialJudge;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The benchmark's command line:
 * <pre>
 *   judge    --scenarios DIR --out FILE [--judge NAME ...]   replay scenarios, write results, print scores
 *   generate --out DIR --seed N [--count K]                  write K generated scenarios
 *   coldstart [--runs N] [--function ID ...] [--priming] [--baseline-jars DIR]
 *             [--baseline-java-tool-options FLAG ...] [--baseline-from-jar] [--work-dir DIR]
 *                                                             cold starts of the function jars on the local stack
 *   httpclients [--runs N] [--warm-ticks N] [--work-dir DIR]
 *                                                             url-connection, Apache and CRT HTTP clients: cold and warm
 *   budget [--seeds N] [--tick-metrics N] [--tick-alarms N] [--work-dir DIR]
 *                                                             AWS calls, state transitions and cost of a deployment,
 *                                                             and time to roll a bad one back, on the local stack
 * </pre>
 * The performance benchmarks ({@code coldstart}, and those after it) run the local stack from
 * {@code infra/local/target/tollgate-local.jar}, which this jar's manifest puts on its class path.
 */
public final class BenchCommand {

    static final Map<String, Supplier<ScenarioJudge>> JUDGES = new LinkedHashMap<>();

    static {
        JUDGES.put("tollgate", () -> new StepEvidenceJudge("tollgate", new SequentialJudge()));
        JUDGES.put("threshold", ThresholdJudge::new);
        JUDGES.put("mann-whitney", MannWhitneyJudge::new);
        JUDGES.put("static-alarm", StaticAlarmJudge::new);
        JUDGES.put("fixed-horizon", () -> new StepEvidenceJudge("fixed-horizon", new FixedHorizonJudge()));
    }

    private static final String USAGE = String.join(
            "\n",
            "usage: java -jar tollgate-bench.jar judge --scenarios DIR --out FILE [--judge NAME ...]",
            "       java -jar tollgate-bench.jar generate --out DIR --seed N [--count K]",
            "       java -jar tollgate-bench.jar coldstart [--runs N] [--function LOGICAL_ID ...] [--priming] [--baseline-jars DIR] [--baseline-java-tool-options FLAG ...] [--baseline-from-jar] [--work-dir DIR]",
            "       java -jar tollgate-bench.jar httpclients [--runs N] [--warm-ticks N] [--work-dir DIR]",
            "       java -jar tollgate-bench.jar budget [--seeds N] [--tick-metrics N] [--tick-alarms N] [--work-dir DIR]",
            "judges: " + String.join(", ", JUDGES.keySet()) + " (default: all)");

    private BenchCommand() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /** Each command's options: anything else is refused before a benchmark starts its minutes of work. */
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "judge",
            Set.of("--scenarios", "--out", "--judge"),
            "generate",
            Set.of("--out", "--seed", "--count"),
            "coldstart",
            Set.of(
                    "--runs",
                    "--function",
                    "--priming",
                    "--baseline-jars",
                    "--baseline-java-tool-options",
                    "--baseline-from-jar",
                    "--work-dir"),
            "httpclients",
            Set.of("--runs", "--warm-ticks", "--work-dir"),
            "budget",
            Set.of("--seeds", "--tick-metrics", "--tick-alarms", "--work-dir"));

    static int run(String[] args, PrintStream out) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no command");
        }
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        if (!OPTIONS.containsKey(args[0])) {
            throw new IllegalArgumentException("unknown command " + args[0]);
        }
        Map<String, List<String>> options = options(args);
        List<String> unknown = options.keySet().stream()
                .filter(name -> !OPTIONS.get(args[0]).contains(name))
                .toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(args[0] + " does not take " + String.join(", ", unknown) + "; it takes "
                    + OPTIONS.get(args[0]).stream().sorted().collect(Collectors.joining(", ")));
        }
        switch (args[0]) {
            case "judge":
                judge(
                        Path.of(single(options, "--scenarios")),
                        Path.of(single(options, "--out")),
                        options.getOrDefault("--judge", List.copyOf(JUDGES.keySet())),
                        out);
                return 0;
            case "generate":
                Path folder = Path.of(single(options, "--out"));
                long seed = Long.parseLong(single(options, "--seed"));
                int count = options.containsKey("--count") ? Integer.parseInt(single(options, "--count")) : 1000;
                List<Scenario> scenarios = ScenarioGenerator.generate(seed, count);
                scenarios.forEach(scenario -> ScenarioFiles.write(folder, scenario));
                out.println("wrote " + scenarios.size() + " scenarios (seed " + seed + ") to " + folder);
                return 0;
            case "coldstart":
                requireLocalStack();
                try {
                    ColdStartBench.run(
                            new ColdStartBench.Options(
                                    intOption(options, "--runs", 7),
                                    options.getOrDefault("--function", List.of()),
                                    pathOption(options, "--baseline-jars"),
                                    Optional.ofNullable(options.get("--baseline-java-tool-options"))
                                            .map(flags -> String.join(" ", flags)),
                                    options.containsKey("--baseline-from-jar"),
                                    options.containsKey("--priming"),
                                    pathOption(options, "--work-dir")),
                            out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return 0;
            case "httpclients":
                requireLocalStack();
                try {
                    HttpClientBench.run(
                            new HttpClientBench.Options(
                                    intOption(options, "--runs", 7),
                                    intOption(options, "--warm-ticks", 50),
                                    pathOption(options, "--work-dir")),
                            out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return 0;
            case "budget":
                requireLocalStack();
                try {
                    BudgetBench.run(
                            new BudgetBench.Options(
                                    intOption(options, "--seeds", 5),
                                    intOption(options, "--tick-metrics", 25),
                                    intOption(options, "--tick-alarms", 20),
                                    pathOption(options, "--work-dir")),
                            out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return 0;
            default:
                throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static List<Outcome> judge(Path scenarioFolder, Path resultsFile, List<String> judgeNames, PrintStream out) {
        List<Scenario> scenarios = ScenarioFiles.read(scenarioFolder);
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("no *.json scenarios in " + scenarioFolder);
        }
        List<ScenarioJudge> judges = new ArrayList<>();
        for (String name : judgeNames) {
            Supplier<ScenarioJudge> judge = JUDGES.get(name);
            if (judge == null) {
                throw new IllegalArgumentException("unknown judge " + name);
            }
            judges.add(judge.get());
        }
        // Judges are stateless, so scenarios replay in parallel; results are sorted back into a stable order.
        List<Outcome> outcomes = scenarios.parallelStream()
                .flatMap(scenario -> judges.stream().map(judge -> Replay.run(judge, scenario)))
                .sorted(Comparator.comparing(Outcome::scenario)
                        .thenComparing(outcome -> judgeNames.indexOf(outcome.judge())))
                .toList();
        try {
            Path parent = resultsFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ScenarioFiles.MAPPER.writeValue(resultsFile.toFile(), outcomes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + resultsFile, e);
        }
        Map<String, Scenario> byName =
                scenarios.stream().collect(Collectors.toMap(Scenario::name, Function.identity()));
        List<Scores> scores = judgeNames.stream()
                .map(name -> Scores.of(
                        name,
                        outcomes.stream().filter(o -> o.judge().equals(name)).toList(),
                        byName))
                .toList();
        out.println(scenarios.size() + " scenarios from " + scenarioFolder + ", results in " + resultsFile);
        out.println();
        out.print(ScoreTable.scores(scores));
        out.println();
        out.print(ScoreTable.byFamily(judgeNames, outcomes, byName));
        out.println();
        out.print(ScoreTable.honesty(scores, outcomes, byName));
        if (byName.values().stream().anyMatch(scenario -> scenario.effect() != null)) {
            out.println();
            out.println(
                    "median periods to detect, per regression family (a regression not rolled back counts as never; "
                            + "the oracle is the SPRT that knows the true effect):");
            out.println();
            out.print(ScoreTable.floor(judgeNames, outcomes, byName));
        }
        return outcomes;
    }

    private static Map<String, List<String>> options(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        String current = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                current = args[i];
                options.putIfAbsent(current, new ArrayList<>());
            } else if (current == null) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            } else {
                for (String value : args[i].split(",")) {
                    if (!value.isBlank()) {
                        options.get(current).add(value.trim());
                    }
                }
            }
        }
        return options;
    }

    private static Optional<Path> pathOption(Map<String, List<String>> options, String name) {
        return options.containsKey(name) ? Optional.of(Path.of(single(options, name))) : Optional.empty();
    }

    private static int intOption(Map<String, List<String>> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(single(options, name)) : fallback;
    }

    /** The performance benchmarks need the local stack's jar beside this one (see the class comment). */
    private static void requireLocalStack() {
        try {
            Class.forName("dev.tollgate.local.LocalStack");
        } catch (ClassNotFoundException | LinkageError missing) {
            throw new IllegalArgumentException(
                    "this benchmark runs the local stack: build it first (./mvnw -DskipTests package) "
                            + "so that infra/local/target/tollgate-local.jar is beside bench/target/tollgate-bench.jar");
        }
    }

    private static String single(Map<String, List<String>> options, String name) {
        List<String> values = options.get(name);
        if (values == null || values.size() != 1) {
            throw new IllegalArgumentException(name + " needs exactly one value");
        }
        return values.get(0);
    }
}
