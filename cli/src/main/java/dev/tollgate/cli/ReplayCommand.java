package dev.tollgate.cli;

import dev.tollgate.cli.report.ReplayReports;
import dev.tollgate.cli.report.RolloutReports;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.errors.InvalidWindowException;
import dev.tollgate.json.Json;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.metrics.CloudWatchMetricSource;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.ops.DeploymentFacts;
import dev.tollgate.replay.RecordedTicks;
import dev.tollgate.replay.Replay;
import dev.tollgate.replay.ReplayOutput;
import dev.tollgate.replay.ReplayService;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code tollgate replay}: today's judge over past CloudWatch data, tick by tick as a live step reads it
 * ({@link ReplayService}). Reads metrics and the execution history only: no traffic moves, no record is written.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Runs today's judge over past CloudWatch data, tick by tick as a live step would have, without touching traffic",
            "or the deployments table: a past deployment (--deployment ID, and whether today's judge agrees with every tick),",
            "or a release that ran without Tollgate (--spec FILE --canary-from T --canary-to T). Exit 0 when it agrees or",
            "decides, 1 when it disagrees or finds no data or the input is refused."
        })
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Mixin
    Connection connection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @Option(
            names = "--report",
            paramLabel = "FILE.html",
            description = "Also write the replay as a report page, in the rollout report's style")
    Path report;

    static final class Subject {
        @Option(
                names = "--deployment",
                paramLabel = "ID",
                required = true,
                description = "A past deployment: re-judged from its record and execution history")
        String deploymentId;

        @ArgGroup(exclusive = false)
        Window window;
    }

    static final class Window {
        @Option(
                names = "--spec",
                required = true,
                paramLabel = "FILE",
                description = "The deployment spec to judge the window with")
        Path specFile;

        @Option(
                names = "--canary-from",
                required = true,
                paramLabel = "T",
                description = "When the canary began taking traffic (ISO-8601, e.g. 2026-12-01T10:00:00Z)")
        String from;

        @Option(names = "--canary-to", required = true, paramLabel = "T", description = "When it stopped (ISO-8601)")
        String to;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = command.commandLine().getOut();
        Replay replay;
        MetricSource metrics;
        if (subject.deploymentId != null) {
            try (Connection.Connected connected = connection.connect();
                    DynamoDbClient dynamo = connected.clients().build(DynamoDbClient.builder())) {
                // The record and history first: an unknown deployment is refused before CloudWatch is read.
                DeploymentFacts facts = DeploymentFacts.find(
                        new DynamoDeploymentStore(dynamo, connected.table()),
                        connected.executions(),
                        subject.deploymentId);
                DeploymentSpec spec = RolloutReports.spec(facts.history())
                        .orElseThrow(() -> new InvalidWindowException("cannot replay " + subject.deploymentId
                                + ": its execution history holds no validated spec"));
                // Where the target publishes: another region, or its role assumed (TargetClients keeps the client).
                metrics = new CloudWatchMetricSource(
                        connected.clients().targets().build(CloudWatchClient.builder(), spec));
                replay = new ReplayService(metrics, new SequentialJudge(), Clock.systemUTC())
                        .replayRecorded(subject.deploymentId, spec, RecordedTicks.read(facts.history()));
                print(replay, metrics, out);
            }
        } else {
            DeploymentSpec spec = new SpecValidator().validate(Json.tree(Files.readString(subject.window.specFile)));
            Instant from = instant("--canary-from", subject.window.from);
            Instant to = instant("--canary-to", subject.window.to);
            // Refused before any client is built, let alone called.
            ReplayService.requireReplayableWindow(spec, from, to, Instant.now());
            metrics =
                    new CloudWatchMetricSource(connection.clients().targets().build(CloudWatchClient.builder(), spec));
            replay = new ReplayService(metrics, new SequentialJudge(), Clock.systemUTC()).replayWindow(spec, from, to);
            if (!spec.analysis().alarms().isEmpty()) {
                out.println("note: alarms " + spec.analysis().alarms()
                        + " are left out: CloudWatch keeps no per-period alarm" + " state to read again");
            }
            print(replay, metrics, out);
        }
        boolean fine = replay.recorded()
                ? replay.disagreements() == 0 && !Replay.NO_DATA.equals(replay.outcome())
                : !Replay.NO_DATA.equals(replay.outcome());
        return fine ? 0 : TollgateCommand.REFUSED;
    }

    private void print(Replay replay, MetricSource metrics, PrintWriter out) throws IOException {
        ReplayOutput.ticks(replay).forEach(out::println);
        out.println();
        ReplayOutput.summary(replay).forEach(out::println);
        if (report != null) {
            OpsCommands.Report.write(ReplayReports.of(replay, metrics, Instant.now()), report);
            out.println("wrote " + report.toAbsolutePath());
        }
        out.flush();
    }

    private static Instant instant(String option, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException unreadable) {
            throw new InvalidWindowException(
                    option + " '" + text + "' is not an ISO-8601 instant such as 2026-12-01T10:00:00Z");
        }
    }
}
