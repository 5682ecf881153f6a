package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.cli.report.ReportPage;
import dev.tollgate.cli.report.RolloutReport;
import dev.tollgate.cli.report.RolloutReports;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.deployment.LockDoctor;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.json.Json;
import dev.tollgate.metrics.CloudWatchMetricSource;
import dev.tollgate.ops.ConsoleLinks;
import dev.tollgate.ops.ExecutionView;
import dev.tollgate.ops.HistoryReport;
import dev.tollgate.ops.OperatorAction;
import dev.tollgate.ops.OpsService;
import dev.tollgate.ops.RolloutProgress;
import dev.tollgate.ops.StartedExecution;
import dev.tollgate.ops.StatusReport;
import dev.tollgate.release.ReleaseRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The ops subcommands of {@code tollgate}: thin wrappers around {@link OpsService}. Refusals
 * (a finished deployment, no approval pending, an invalid spec) are {@code TollgateException}s
 * that {@link TollgateCommand} prints as one line and exit status 1 (2 for an invalid spec).
 */
public final class OpsCommands {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private OpsCommands() {}

    /** Who acts, for the deployment's record. */
    static final class Operator {
        @Option(
                names = "--as",
                paramLabel = "NAME",
                defaultValue = "${env:TOLLGATE_OPERATOR}",
                description = "Who acts, for the record (default: the OS user and the AWS caller identity)")
        String as;
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description =
                    "Validates a deployment spec and starts its execution, named after its deploymentId; or a release in "
                            + "waves (a spec with waves), named after its releaseId.")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec command;

        @Mixin
        Connection connection;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The deployment spec (JSON)")
        Path specFile;

        @Option(
                names = "--follow",
                description = "Print the rollout as it happens until it ends; exit 0 only when promoted")
        boolean follow;

        @Option(
                names = "--timeout-minutes",
                defaultValue = "120",
                description = "How long --follow watches. Default: ${DEFAULT-VALUE}")
        long timeoutMinutes;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = command.commandLine().getOut();
            JsonNode spec = Json.tree(Files.readString(specFile));
            try (Connection.Connected connected = connection.connect()) {
                if (ReleaseCommands.isRelease(spec)) {
                    StartedExecution release = ReleaseCommands.start(connected, spec);
                    String releaseId = spec.path("releaseId").asText();
                    out.println("started release " + releaseId);
                    out.println("  execution " + release.executionArn());
                    out.println("  console   " + ConsoleLinks.execution(release.executionArn()));
                    out.println("  follow it with: tollgate status " + releaseId);
                    out.flush();
                    return follow
                            ? ReleaseCommands.follow(
                                    connected,
                                    releaseId,
                                    release.executionArn(),
                                    Duration.ofMinutes(timeoutMinutes),
                                    out)
                            : 0;
                }
                OpsService.Started started = connected.ops().start(spec);
                out.println("started " + started.deploymentId());
                out.println("  execution " + started.executionArn());
                out.println("  console   " + ConsoleLinks.execution(started.executionArn()));
                out.println("  follow it with: tollgate status " + started.deploymentId());
                out.flush();
                if (!follow) {
                    return 0;
                }
                return follow(
                        connected,
                        started.executionArn(),
                        started.deploymentId(),
                        Duration.ofMinutes(timeoutMinutes),
                        out);
            }
        }

        private static int follow(
                Connection.Connected connected,
                String executionArn,
                String deploymentId,
                Duration timeout,
                PrintWriter out)
                throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            int printed = 0;
            while (true) {
                Optional<ExecutionView> execution = connected.executions().describe(executionArn);
                List<String> lines = HistoryReport.lines(connected.executions().history(executionArn));
                for (String line : lines.subList(Math.min(printed, lines.size()), lines.size())) {
                    out.println(line);
                }
                printed = lines.size();
                out.flush();
                if (execution.isPresent() && !execution.get().state().running()) {
                    ExecutionView ended = execution.get();
                    String outcome = ended.outcome();
                    out.println("outcome: " + outcome + " " + deploymentId + " " + ended.reason());
                    return "PROMOTED".equals(outcome) ? 0 : 1;
                }
                if (Instant.now().isAfter(deadline)) {
                    out.println("still running after " + timeout.toMinutes() + " min; stopped watching");
                    return 1;
                }
                Thread.sleep(1000);
            }
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Shows a deployment: where it stands, its timeline, and every tick's verdict with its numbers; or a "
                            + "release in waves: each wave and each target's outcome, and what stopped it.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec command;

        @Mixin
        Connection connection;

        @Parameters(paramLabel = "ID", description = "The deploymentId, or a release's releaseId")
        String deploymentId;

        @Override
        public Integer call() {
            PrintWriter out = command.commandLine().getOut();
            try (Connection.Connected connected = connection.connect()) {
                Optional<ReleaseRecord> release = connected.releases().store().find(deploymentId);
                if (release.isPresent()) {
                    ReleaseCommands.print(
                            release.get(),
                            Optional.ofNullable(connected.releases().executions())
                                    .flatMap(executions ->
                                            executions.describe(release.get().executionArn())),
                            out);
                    return 0;
                }
                print(connected.ops().status(deploymentId), out);
                return 0;
            }
        }

        static void print(StatusReport report, PrintWriter out) {
            Optional<DeploymentRecord> record = report.record();
            RolloutProgress progress = report.progress();
            out.println("deployment " + report.deploymentId()
                    + record.map(r -> " (service " + r.service() + ")").orElse(""));
            out.println("  status    "
                    + record.map(r -> r.status().name())
                            .orElseGet(() -> report.execution()
                                    .map(ExecutionView::outcome)
                                    .orElse("unknown"))
                    + record.map(DeploymentRecord::reason)
                            .map(reason -> ": " + reason)
                            .orElse(""));
            if (report.execution().map(execution -> execution.state().running()).orElse(false)) {
                out.println("  now       " + progress.summary());
            }
            record.map(DeploymentRecord::startedAt).ifPresent(at -> out.println("  started   " + TIME.format(at)));
            record.map(DeploymentRecord::finishedAt).ifPresent(at -> out.println("  finished  " + TIME.format(at)));
            record.map(DeploymentRecord::awaitingApprovalStep)
                    .ifPresent(step -> out.println("  approval  waiting before step " + (step + 1)
                            + ": tollgate approve | promote | abort " + report.deploymentId()));
            record.filter(r -> r.rollbackWindowUntil() != null && !r.status().finished())
                    .ifPresent(r -> out.println(
                            "  rollback  promoted; window open until " + TIME.format(r.rollbackWindowUntil())
                                    + ": tollgate rollback " + r.service() + " --reason \"...\""));
            record.map(DeploymentRecord::operatorRequest)
                    .ifPresent(request -> out.println("  operator  " + request.kind()
                            + " requested by " + request.requestedBy() + " at " + TIME.format(request.requestedAt())
                            + (request.reason() == null ? "" : ": " + request.reason())));
            report.execution().ifPresent(execution -> {
                out.println("  execution " + execution.executionArn() + " (" + execution.state() + ")");
                out.println("  console   " + ConsoleLinks.execution(execution.executionArn()));
                if (!execution.state().running() && record.isEmpty()) {
                    out.println("  reason    " + execution.reason());
                }
            });
            record.ifPresent(r -> {
                out.println();
                out.println("timeline (deployment record)");
                for (TimelineEntry entry : r.timeline()) {
                    out.println(String.format(
                            Locale.ROOT,
                            "  %s  %-17s %-5s %-6s %-12s %s",
                            TIME.format(entry.at()),
                            entry.state(),
                            entry.stepIndex() == null ? "" : "#" + (entry.stepIndex() + 1),
                            entry.canaryWeight() == null ? "" : entry.canaryWeight() + " %",
                            entry.verdict() == null ? "" : entry.verdict(),
                            entry.message()));
                }
            });
            if (!report.history().isEmpty()) {
                out.println();
                out.println("history (execution, UTC)");
                report.history().forEach(line -> out.println("  " + line.replace("\n", "\n  ")));
            }
        }
    }

    /** What every command acting on the record shares: the connection, who acts, and the operation they ask for. */
    abstract static class ActingCommand implements Callable<Integer> {
        @Spec
        CommandSpec command;

        @Mixin
        Connection connection;

        @Mixin
        Operator operator;

        abstract OperatorAction request(OpsService ops, String who);

        @Override
        public Integer call() {
            try (Connection.Connected connected = connection.connect()) {
                return report(
                        request(connected.ops(), connection.operator(operator.as, connected.clients())),
                        command.commandLine().getOut());
            }
        }
    }

    /** What approve, abort and promote share: a deployment, and why. */
    abstract static class OperatorCommand extends ActingCommand {
        @Parameters(paramLabel = "ID", description = "The deploymentId")
        String deploymentId;

        @Option(names = "--reason", description = "Why, for the record (and, for abort and promote, the outcome)")
        String reason;
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Answers a waiting approval gate: the rollout goes on (next step, or promotion).")
    static final class Approve extends OperatorCommand {
        /** approve's option was once --note; it still works, unlisted, so that scripts written then keep working. */
        @Option(names = "--note", hidden = true)
        String note;

        @Override
        OperatorAction request(OpsService ops, String who) {
            return ops.approve(deploymentId, who, reason != null ? reason : note);
        }
    }

    @Command(
            name = "abort",
            mixinStandardHelpOptions = true,
            description =
                    "Rolls back: at once at a waiting approval gate, otherwise at the next analysis tick. For a release in "
                            + "waves: nothing more starts, every running target rolls back, and the release halts per its onFailure.")
    static final class Abort extends OperatorCommand {
        @Override
        public Integer call() {
            try (Connection.Connected connected = connection.connect()) {
                String who = connection.operator(operator.as, connected.clients());
                if (connected.releases().store().find(deploymentId).isPresent()) {
                    return ReleaseCommands.abort(
                            connected,
                            deploymentId,
                            who,
                            reason,
                            command.commandLine().getOut());
                }
                return report(
                        request(connected.ops(), who), command.commandLine().getOut());
            }
        }

        @Override
        OperatorAction request(OpsService ops, String who) {
            return ops.abort(deploymentId, who, reason);
        }
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description =
                    "Skips the remaining steps to 100 %%: at once at a waiting approval gate, otherwise at the next tick.")
    static final class Promote extends OperatorCommand {
        @Override
        OperatorAction request(OpsService ops, String who) {
            return ops.promote(deploymentId, who, reason);
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description =
                    "Sends all of a service's traffic back to the version before its last promotion, at once and without "
                            + "analysis, while that promotion's rollback window is open (afterPromotion.rollbackWindowSeconds); "
                            + "refused once the window has closed or while another deployment holds the service's lock.")
    static final class Rollback extends ActingCommand {
        @Parameters(paramLabel = "SERVICE", description = "The service")
        String service;

        @Option(names = "--reason", required = true, description = "Why, for the record and the outcome")
        String reason;

        @Override
        OperatorAction request(OpsService ops, String who) {
            return ops.rollback(service, who, reason);
        }
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description =
                    "Writes one deployment's rollout report: a self-contained HTML page (states, per step the canary and "
                            + "baseline series of every metric with the bake window, each decision with its numbers, migrations, pinned secrets).")
    public static final class Report implements Callable<Integer> {
        @Spec
        CommandSpec command;

        @Mixin
        Connection connection;

        @Parameters(
                paramLabel = "ID",
                description = "The deploymentId, or a release's releaseId (its page, and each target's beside it)")
        String deploymentId;

        @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "Where to write the page")
        Path out;

        @Override
        public Integer call() throws IOException {
            try (Connection.Connected connected = connection.connect();
                    DynamoDbClient dynamo = connected.clients().build(DynamoDbClient.builder())) {
                // The charts read CloudWatch where the deployment's target publishes: another region, or its role
                // assumed.
                RolloutReports reports = new RolloutReports(
                        new DynamoDeploymentStore(dynamo, connected.table()),
                        connected.executions(),
                        spec -> new CloudWatchMetricSource(
                                connected.clients().targets().build(CloudWatchClient.builder(), spec)),
                        java.time.Clock.systemUTC());
                Optional<ReleaseRecord> release = connected.releases().store().find(deploymentId);
                if (release.isPresent()) {
                    return writeRelease(release.get(), reports, connected);
                }
                write(reports.build(deploymentId), out);
                command.commandLine().getOut().println("wrote " + out.toAbsolutePath());
                return 0;
            }
        }

        /** A release: its page at {@code out}, and each target it deployed as {@code <deploymentId>.html} beside it. */
        private int writeRelease(ReleaseRecord release, RolloutReports reports, Connection.Connected connected)
                throws IOException {
            Path folder = out.toAbsolutePath().getParent();
            java.util.Set<String> reported = new java.util.TreeSet<>();
            for (ReleaseRecord.TargetState target : release.targets()) {
                if (target.status() == ReleaseRecord.TargetStatus.PENDING
                        || connected
                                .executions()
                                .describe(connected.executions().executionArn(target.deploymentId()))
                                .isEmpty()) {
                    continue;
                }
                write(reports.build(target.deploymentId()), folder.resolve(target.deploymentId() + ".html"));
                reported.add(target.deploymentId());
            }
            Files.createDirectories(folder);
            Files.writeString(out, ReportPage.html(release, reported, java.time.Instant.now()));
            command.commandLine()
                    .getOut()
                    .println("wrote " + out.toAbsolutePath() + " and " + reported.size() + " target reports beside it");
            return 0;
        }

        /** Writes the page, creating its folder. */
        public static void write(RolloutReport report, Path out) throws IOException {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, ReportPage.html(report));
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Running and recent deployments, newest first.")
    static final class ListDeployments implements Callable<Integer> {
        @Spec
        CommandSpec command;

        @Mixin
        Connection connection;

        @Option(
                names = "--limit",
                defaultValue = "20",
                description = "At most this many (1-" + OpsService.MAX_LIST + "). Default: ${DEFAULT-VALUE}")
        int limit;

        @Override
        public Integer call() {
            PrintWriter out = command.commandLine().getOut();
            try (Connection.Connected connected = connection.connect()) {
                List<DeploymentRecord> records = connected.ops().list(limit);
                out.println(String.format(
                        Locale.ROOT,
                        "%-40s %-16s %-28s %-21s %s",
                        "DEPLOYMENT",
                        "SERVICE",
                        "STATUS",
                        "STARTED",
                        "WHERE / WHY"));
                for (DeploymentRecord record : records) {
                    String status = record.status().name()
                            + (record.awaitingApprovalStep() != null ? " (awaiting approval)" : "");
                    out.println(String.format(
                            Locale.ROOT,
                            "%-40s %-16s %-28s %-21s %s",
                            record.deploymentId(),
                            record.service(),
                            status,
                            record.startedAt() == null ? "" : TIME.format(record.startedAt()),
                            where(record)));
                }
                if (records.isEmpty()) {
                    out.println("(no deployments)");
                }
                return 0;
            }
        }

        private static String where(DeploymentRecord record) {
            if (record.status().finished()) {
                return record.reason() == null ? "" : record.reason();
            }
            List<TimelineEntry> timeline = record.timeline();
            for (int i = timeline.size() - 1; i >= 0; i--) {
                TimelineEntry entry = timeline.get(i);
                if (entry.canaryWeight() != null) {
                    return "step " + (entry.stepIndex() == null ? "?" : entry.stepIndex() + 1) + " at "
                            + entry.canaryWeight() + " %"
                            + (entry.verdict() == null ? "" : ", last verdict " + entry.verdict());
                }
            }
            return timeline.isEmpty() ? "" : timeline.get(timeline.size() - 1).message();
        }
    }

    private static int report(OperatorAction action, PrintWriter out) {
        out.println(action.deploymentId() + ": " + action.message() + " (recorded as " + action.requestedBy() + ")");
        return 0;
    }

    @Command(
            name = "lock",
            mixinStandardHelpOptions = true,
            description =
                    "Shows who holds a service's deployment lock and whether that execution still runs (STALE when not).")
    static final class Lock implements Callable<Integer> {
        @Spec
        CommandSpec command;

        @Mixin
        Connection connection;

        @Parameters(paramLabel = "SERVICE", description = "The service")
        String service;

        @Override
        public Integer call() {
            PrintWriter out = command.commandLine().getOut();
            try (Connection.Connected connected = connection.connect()) {
                Optional<LockDoctor.LockStatus> status = connected.locks().inspect(service);
                out.println(status.map(LockDoctor.LockStatus::describe).orElse(service + " is not locked"));
                status.filter(LockDoctor.LockStatus::stale)
                        .ifPresent(stale -> out.println("  break it with: tollgate unlock " + service + " "
                                + stale.holder().deploymentId() + " --reason \"...\""));
                return 0;
            }
        }
    }

    @Command(
            name = "unlock",
            mixinStandardHelpOptions = true,
            description =
                    "Breaks a service's lock left by an execution that no longer runs; recorded on the holder's timeline.")
    static final class Unlock implements Callable<Integer> {
        @Spec
        CommandSpec command;

        @Mixin
        Connection connection;

        @Mixin
        Operator operator;

        @Parameters(index = "0", paramLabel = "SERVICE", description = "The service")
        String service;

        @Parameters(index = "1", paramLabel = "ID", description = "The deploymentId you expect to hold the lock")
        String deploymentId;

        @Option(names = "--reason", required = true, description = "Why, for the holder's record")
        String reason;

        @Option(names = "--force", description = "Break it even though its execution still runs (it is stuck)")
        boolean force;

        @Override
        public Integer call() {
            try (Connection.Connected connected = connection.connect()) {
                LockDoctor.LockStatus broken = connected
                        .locks()
                        .breakLock(
                                service,
                                deploymentId,
                                connection.operator(operator.as, connected.clients()),
                                reason,
                                force);
                command.commandLine()
                        .getOut()
                        .println("broke the lock of " + service + " held by "
                                + broken.holder().deploymentId() + " (execution " + broken.executionStatus() + ")");
                return 0;
            }
        }
    }
}
