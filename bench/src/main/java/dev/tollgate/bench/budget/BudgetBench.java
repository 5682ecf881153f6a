package dev.tollgate.bench.budget;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.aws.AwsCallCounter;
import dev.tollgate.aws.AwsCallCounter.CallKey;
import dev.tollgate.aws.AwsCallCounter.Count;
import dev.tollgate.bench.budget.CostModel.Cost;
import dev.tollgate.bench.budget.CostModel.LineItem;
import dev.tollgate.bench.perf.MarkdownTable;
import dev.tollgate.bench.perf.Spread;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.json.Json;
import dev.tollgate.local.DemoSpecs;
import dev.tollgate.local.LocalStack;
import dev.tollgate.local.RepositoryFiles;
import dev.tollgate.local.Scenario;
import dev.tollgate.local.ScenarioRun;
import dev.tollgate.ops.ExecutionEvent;
import dev.tollgate.ops.StepFunctionsExecutions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The API and cost budget of a deployment, and the time to roll a bad one back, measured on the
 * local stack: a whole good deployment (every AWS call each function makes, counted by the SDK
 * interceptor {@link AwsCallCounter}; the state transitions and Lambda invocations from the
 * execution's history), one analysis tick of a spec with many metrics, the cost of a typical AWS
 * deployment from public prices, and bad releases on several seeds, timed from history.
 */
public final class BudgetBench {

    /** The deployment docs/performance.md prices: 4 steps (5, 25, 50, 100 %), three bakes of 10 minutes at 60-second periods. */
    public static final UsageModel.Shape TYPICAL = UsageModel.Shape.of(4, 600, 60, 12, 1024);

    private static final Pattern FUNCTION_REFERENCE = Pattern.compile("\\$\\{(\\w+Function)Arn}");

    public record Options(int rollbackSeeds, int tickMetrics, int tickAlarms, Optional<Path> workDirectory) {}

    private BudgetBench() {}

    public static void run(Options options, PrintStream out) throws IOException, InterruptedException {
        Path work = options.workDirectory().isPresent()
                ? Files.createDirectories(options.workDirectory().get())
                : Files.createTempDirectory("tollgate-budget");
        Path runLog = work.resolve("deployments.log");
        out.println("starting the local stack in " + work + "; the deployments print to " + runLog);
        try (LocalStack stack = LocalStack.start(work);
                PrintStream log = new PrintStream(Files.newOutputStream(runLog), true, "UTF-8")) {
            StepFunctionsExecutions executions = new StepFunctionsExecutions(stack.sfn(), stack.stateMachineArn());

            out.println(
                    "a good deployment (scenario good: 3 steps, " + DemoSpecs.PERIOD_SECONDS + "-second periods)...");
            // The functions run in JVMs of their own: each publishes its counts, the stack adds them up.
            Map<CallKey, Count> before = stack.awsCallCounts();
            ScenarioRun.Result good = new ScenarioRun(stack, log).run(Scenario.GOOD, "budget", 42);
            Map<CallKey, Count> calls = AwsCallCounter.between(before, stack.awsCallCounts());
            List<ExecutionEvent> history = executions.history(good.executionArn());
            DeploymentLedger ledger = DeploymentLedger.of(history);
            int recordBytes = recordBytes(stack, good.outcome().deploymentId());
            UsageModel model = new UsageModel(
                    new UsageModel.Measured(ledger, calls, functionOfState(), recordBytes, TYPICAL.memoryMb()));
            out.println(good.outcome());
            out.println();

            out.println("one analysis tick with many metrics...");
            ScenarioRun.Release release = new ScenarioRun(stack, log).prepare(Scenario.GOOD, "tick", 7);
            TickCallCount.Tick tick;
            try (release) {
                tick = TickCallCount.measure(
                        stack.functionEnvironments().get("DecideFunction").variables(),
                        release.spec(),
                        options.tickMetrics(),
                        options.tickAlarms());
            }

            List<RollbackTiming> timings = new ArrayList<>();
            for (int seed = 1; seed <= options.rollbackSeeds(); seed++) {
                out.println("a bad release (scenario bad-errors, seed " + seed + ")...");
                ScenarioRun.Result bad = new ScenarioRun(stack, log).run(Scenario.BAD_ERRORS, "rollback" + seed, seed);
                out.println(bad.outcome().toString().lines().findFirst().orElse(""));
                RollbackTiming.of(executions.history(bad.executionArn()), DemoSpecs.PERIOD_SECONDS)
                        .ifPresent(timings::add);
            }
            out.println();
            out.print(report(good, ledger, calls, model, tick, timings));
        }
    }

    static String report(
            ScenarioRun.Result good,
            DeploymentLedger ledger,
            Map<CallKey, Count> calls,
            UsageModel model,
            TickCallCount.Tick tick,
            List<RollbackTiming> timings) {
        StringBuilder report = new StringBuilder();
        report.append("## AWS calls in one whole local deployment (")
                .append(good.outcome().status())
                .append(", ")
                .append(ledger.invocations("Decide"))
                .append(" analysis ticks)\n\n");
        MarkdownTable callTable =
                new MarkdownTable("function", "service:operation", "calls", "attempts", "per invocation");
        Map<String, Integer> invocationsByFunction = invocationsByFunction(ledger);
        long totalCalls = 0;
        for (Map.Entry<CallKey, Count> call : calls.entrySet()) {
            int invocations = invocationsByFunction.getOrDefault(call.getKey().function(), 0);
            callTable.row(
                    call.getKey().function(),
                    call.getKey().service() + ":" + call.getKey().operation(),
                    call.getValue().calls(),
                    call.getValue().attempts(),
                    invocations == 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.2f", call.getValue().calls() / (double) invocations));
            totalCalls += call.getValue().calls();
        }
        report.append(callTable)
                .append("\nTotal: ")
                .append(totalCalls)
                .append(" AWS calls, ")
                .append(ledger.invocations())
                .append(" Lambda invocations, ")
                .append(ledger.transitions())
                .append(" state transitions (")
                .append(ledger.retries())
                .append(" retries).\n\n");

        report.append("## State transitions and Lambda invocations, by state\n\n");
        MarkdownTable states =
                new MarkdownTable("state", "transitions", "Lambda invocations", "median invocation (ms, local)");
        ledger.transitionsByState().forEach((state, transitions) -> {
            List<Double> millis = ledger.invocationMillisByState().get(state);
            states.row(
                    state,
                    transitions,
                    ledger.invocations(state),
                    millis == null || millis.isEmpty()
                            ? "-"
                            : String.format(
                                    Locale.ROOT, "%.0f", Spread.of(millis).median()));
        });
        report.append(states).append('\n');

        report.append("## One analysis tick: ")
                .append(tick.metrics())
                .append(" metrics, ")
                .append(tick.alarms())
                .append(" alarms\n\n");
        MarkdownTable tickTable = new MarkdownTable("service:operation", "calls", "metrics requested");
        new TreeMap<>(tick.calls())
                .forEach((key, count) ->
                        tickTable.row(key.service() + ":" + key.operation(), count.calls(), count.metricsRequested()));
        report.append(tickTable)
                .append("\nVerdict of that tick: ")
                .append(tick.verdict().verdict())
                .append("\n\n");

        report.append("## Cost of one deployment\n\n");
        Cost measured = CostModel.cost(model.measuredUsage(), Prices.US_EAST_1);
        Cost typical = CostModel.cost(model.usage(TYPICAL), Prices.US_EAST_1);
        MarkdownTable costTable = new MarkdownTable(
                "line item",
                "local run: quantity",
                "local run: cost",
                "typical AWS deployment: quantity",
                "typical: cost");
        for (int i = 0; i < measured.items().size(); i++) {
            LineItem local = measured.items().get(i);
            LineItem aws = typical.items().get(i);
            costTable.row(
                    local.what() + " (" + local.unit() + ")",
                    quantity(local.quantity()),
                    CostModel.dollars(local.dollars()),
                    quantity(aws.quantity()),
                    CostModel.dollars(aws.dollars()));
        }
        costTable.row(
                "**total**",
                "",
                CostModel.dollars(measured.total()),
                "",
                "**" + CostModel.dollars(typical.total()) + "**");
        report.append(costTable)
                .append(String.format(
                        Locale.ROOT,
                        "%nTypical AWS deployment: 4 steps (5, 25, 50, 100 %%), three "
                                + "10-minute bakes at 60-second periods (%.0f ticks), %.0f canary health polls, %d MB functions: %.3f US cents.%n%n",
                        TYPICAL.ticks(),
                        TYPICAL.healthPolls(),
                        TYPICAL.memoryMb(),
                        typical.cents()));

        report.append("## Time to rollback (scenario bad-errors, ")
                .append(DemoSpecs.PERIOD_SECONDS)
                .append("-second periods)\n\n");
        MarkdownTable rollbackTable = new MarkdownTable(
                "run",
                "ticks to the FAIL",
                "periods to the FAIL verdict",
                "periods to 100 % old",
                "verdict to 100 % old (s)");
        for (int i = 0; i < timings.size(); i++) {
            RollbackTiming timing = timings.get(i);
            rollbackTable.row(
                    "seed " + (i + 1),
                    timing.ticksBeforeFailure(),
                    String.format(Locale.ROOT, "%.2f", timing.periodsToFailingVerdict()),
                    String.format(Locale.ROOT, "%.2f", timing.periodsToRollback()),
                    String.format(Locale.ROOT, "%.1f", timing.secondsFromVerdictToRollback()));
        }
        report.append(rollbackTable);
        if (!timings.isEmpty()) {
            report.append("\nMedian periods from the first regressed period to 100 % old: ")
                    .append(Spread.of(timings.stream()
                                    .map(RollbackTiming::periodsToRollback)
                                    .toList())
                            .format(2))
                    .append(" (median [IQR])\n");
        }
        return report.toString();
    }

    private static String quantity(double value) {
        return value == Math.rint(value)
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Which function each Task state runs, from the ASL's {@code ${XFunctionArn}} substitutions. */
    static Map<String, String> functionOfState() {
        try {
            JsonNode definition = Json.tree(Files.readString(RepositoryFiles.stateMachineDefinition()));
            Map<String, String> functions = new TreeMap<>();
            definition.path("States").properties().forEach(state -> {
                String text = Json.write(state.getValue().path("Resource"))
                        + Json.write(state.getValue().path("Parameters"));
                Matcher reference = FUNCTION_REFERENCE.matcher(text);
                if (reference.find()) {
                    functions.put(state.getKey(), reference.group(1));
                }
            });
            return functions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Integer> invocationsByFunction(DeploymentLedger ledger) {
        Map<String, Integer> byFunction = new TreeMap<>();
        functionOfState()
                .forEach((state, function) -> byFunction.merge(function, ledger.invocations(state), Integer::sum));
        return byFunction;
    }

    /** The deployment record's size as DynamoDB counts it (names and values, UTF-8), which sets its write units. */
    private static int recordBytes(LocalStack stack, String deploymentId) {
        try (DynamoDbClient dynamo = stack.dynamo()) {
            Map<String, AttributeValue> item = dynamo.getItem(get -> get.tableName(LocalStack.TABLE_NAME)
                            .key(Map.of(DynamoDeploymentStore.KEY, AttributeValue.fromS("DEPLOYMENT#" + deploymentId))))
                    .item();
            return item.entrySet().stream()
                    .mapToInt(entry -> utf8(entry.getKey()) + size(entry.getValue()))
                    .sum();
        }
    }

    /** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html */
    static int size(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            return value.n().length() / 2 + 1;
        }
        if (value.hasM()) {
            return 3
                    + value.m().entrySet().stream()
                            .mapToInt(entry -> 1 + utf8(entry.getKey()) + size(entry.getValue()))
                            .sum();
        }
        if (value.hasL()) {
            return 3 + value.l().stream().mapToInt(element -> 1 + size(element)).sum();
        }
        if (value.hasSs()) {
            return value.ss().stream().mapToInt(BudgetBench::utf8).sum();
        }
        return 1;
    }

    private static int utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
