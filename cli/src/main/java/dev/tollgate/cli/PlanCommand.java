package dev.tollgate.cli;

import dev.tollgate.errors.InvalidWindowException;
import dev.tollgate.json.Json;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.metrics.CloudWatchMetricSource;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.PlanOutput;
import dev.tollgate.plan.Planner;
import dev.tollgate.plan.TrafficProfile;
import dev.tollgate.replay.ReplayService;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * {@code tollgate plan --spec FILE}: the spec's steps on the service's own measured traffic ({@link Planner}),
 * from one read of the live version's metrics. Reads CloudWatch only.
 */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Reads the live version's last days of traffic from CloudWatch and, for each step of the spec, runs the real",
            "judge on many simulated steps drawn from it: canary requests a period, whether minRequests is reachable, periods",
            "to a PASS for a healthy release and to a FAIL for regressions (errors x1.5, x2, latency x1.3), the chance of",
            "ending undecided, and a suggested schedule."
        })
final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Mixin
    Connection connection;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The deployment spec (JSON) to plan")
    Path specFile;

    @Option(
            names = "--lookback-minutes",
            defaultValue = "4320",
            paramLabel = "MINUTES",
            description =
                    "How much of the live version's history to draw periods from. Default: ${DEFAULT-VALUE} (3 days)")
    long lookbackMinutes;

    @Option(
            names = "--runs",
            defaultValue = "200",
            description = "Simulated steps per release and step. Default: ${DEFAULT-VALUE}")
    int runs;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the simulation, for figures that repeat. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
            names = "--target-minutes",
            paramLabel = "MINUTES",
            description = "How long a healthy rollout may take; the schedule says whether it fits")
    Integer targetMinutes;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = command.commandLine().getOut();
        DeploymentSpec spec = new SpecValidator().validate(Json.tree(Files.readString(specFile)));
        if (runs < 1 || runs > 10_000) {
            throw new InvalidWindowException("--runs " + runs + " is out of range: 1 to 10000");
        }
        Instant to = Instant.now();
        Duration lookback = Duration.ofMinutes(lookbackMinutes);
        Duration retention = ReplayService.retention(spec.analysis().periodSeconds());
        if (lookbackMinutes < 1 || lookback.compareTo(retention) > 0) {
            throw new InvalidWindowException("--lookback-minutes " + lookbackMinutes + " is out of range: 1 to "
                    + retention.toMinutes() + ", what CloudWatch keeps at the spec's "
                    + spec.analysis().periodSeconds() + " s period");
        }
        // Where the target publishes: another region, or its role assumed.
        CloudWatchClient cloudWatch = connection.clients().targets().build(CloudWatchClient.builder(), spec);
        int period = spec.analysis().periodSeconds();
        Instant end = Instant.ofEpochSecond(to.getEpochSecond() - Math.floorMod(to.getEpochSecond(), period));
        TrafficProfile traffic =
                TrafficProfile.read(new CloudWatchMetricSource(cloudWatch), spec, end.minus(lookback), end);
        Plan plan = new Planner(new SequentialJudge()).plan(spec, traffic, runs, seed);
        PlanOutput.lines(plan, targetMinutes == null ? OptionalInt.empty() : OptionalInt.of(targetMinutes))
                .forEach(out::println);
        out.flush();
        return 0;
    }
}
