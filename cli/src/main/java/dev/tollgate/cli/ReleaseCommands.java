package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.DeploymentIdInUseException;
import dev.tollgate.ops.ConsoleLinks;
import dev.tollgate.ops.ExecutionView;
import dev.tollgate.ops.StartedExecution;
import dev.tollgate.ops.StepFunctionsExecutions;
import dev.tollgate.release.ReleaseRecord;
import dev.tollgate.release.ReleaseRecord.TargetState;
import dev.tollgate.release.ReleaseRecord.WaveState;
import dev.tollgate.spec.PlacementReach;
import dev.tollgate.spec.ReleaseSpec;
import dev.tollgate.spec.ReleaseValidator;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code tollgate start}, {@code status} and {@code abort} do with a release in waves: start its execution of the
 * release state machine (validated here first, every problem at once), show its waves and each target's outcome, and
 * stop it everywhere.
 */
public final class ReleaseCommands {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private ReleaseCommands() {}

    /** A request is a release when it has waves. */
    static boolean isRelease(JsonNode request) {
        return request != null && request.has("waves");
    }

    /** Validates the release here (every problem at once, the reach rules from the connection's region), then starts it. */
    static StartedExecution start(Connection.Connected connected, JsonNode request) {
        ReleaseSpec release = new ReleaseValidator().validate(request);
        PlacementReach.check(release, connected.clients().region().id());
        StepFunctionsExecutions executions = connected.releases().requireExecutions();
        StartedExecution started = executions.start(release.releaseId(), request.toString());
        if (started.existedBefore()) {
            String state = executions
                    .describe(started.executionArn())
                    .map(execution -> execution.state().name())
                    .orElse("unknown");
            throw new DeploymentIdInUseException("release id " + release.releaseId() + " was already used by execution "
                    + started.executionArn() + " (" + state + "); give this release a new releaseId");
        }
        return started;
    }

    /** Prints the release until it ends, a line whenever a target's status changes; 0 only when promoted. */
    static int follow(
            Connection.Connected connected, String releaseId, String executionArn, Duration timeout, PrintWriter out)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<String> printed = new ArrayList<>();
        while (true) {
            Optional<ReleaseRecord> record = connected.releases().store().find(releaseId);
            if (record.isPresent()) {
                for (String line : targetLines(record.get())) {
                    if (!printed.contains(line)) {
                        out.println(line);
                        printed.add(line);
                    }
                }
            }
            Optional<ExecutionView> execution =
                    connected.releases().requireExecutions().describe(executionArn);
            out.flush();
            if (execution.isPresent() && !execution.get().state().running()) {
                String status = record.map(ended -> ended.status().name())
                        .orElse(execution.get().state().name());
                out.println("outcome: " + status + " " + releaseId
                        + record.map(ReleaseRecord::reason)
                                .map(reason -> " " + reason)
                                .orElse(""));
                return "PROMOTED".equals(status) ? 0 : 1;
            }
            if (Instant.now().isAfter(deadline)) {
                out.println("still running after " + timeout.toMinutes() + " min; stopped watching");
                return 1;
            }
            Thread.sleep(1000);
        }
    }

    static void print(ReleaseRecord release, Optional<ExecutionView> execution, PrintWriter out) {
        out.println("release " + release.releaseId() + " (" + release.waves().size() + " waves, "
                + release.targets().size() + " targets, onFailure " + release.onFailure() + ", onLockHeld "
                + release.onLockHeld() + ")");
        out.println("  status    " + release.status() + (release.reason() == null ? "" : ": " + release.reason()));
        out.println("  started   " + TIME.format(release.startedAt()));
        if (release.endedAt() != null) {
            out.println("  ended     " + TIME.format(release.endedAt()));
        }
        if (release.abortedBy() != null) {
            out.println("  aborted   by " + release.abortedBy());
        }
        out.println("  execution " + release.executionArn()
                + execution.map(view -> " (" + view.state() + ")").orElse(""));
        out.println("  console   " + ConsoleLinks.execution(release.executionArn()));
        for (WaveState wave : release.waves()) {
            out.println();
            out.println("wave " + wave.wave() + "  " + wave.status());
            for (TargetState target : wave.targets()) {
                out.println(String.format(
                        Locale.ROOT,
                        "  %-28s %-15s %-21s %s",
                        target.deploymentId(),
                        target.region(),
                        target.status(),
                        target.reason() == null ? "" : target.reason()));
            }
        }
        out.println();
        out.println("each target: tollgate status DEPLOYMENT-ID");
    }

    /** A line per target: its wave, id, service and region, status and reason, as a release is followed. */
    public static List<String> targetLines(ReleaseRecord release) {
        List<String> lines = new ArrayList<>();
        for (WaveState wave : release.waves()) {
            for (TargetState target : wave.targets()) {
                lines.add("  wave " + wave.wave() + "  " + target.deploymentId() + " (" + target.service() + " in "
                        + target.region() + ")  " + target.status()
                        + (target.reason() == null ? "" : ": " + target.reason()));
            }
        }
        return lines;
    }

    static int abort(Connection.Connected connected, String releaseId, String who, String reason, PrintWriter out) {
        ReleaseRecord aborted = connected.releases().service().abort(releaseId, who, reason);
        long running = aborted.targets().stream()
                .filter(target -> target.status() == ReleaseRecord.TargetStatus.RUNNING)
                .count();
        out.println(releaseId + ": aborted: nothing more starts; " + running + " running target"
                + (running == 1 ? "" : "s") + " rolling back; the release then halts per onFailure "
                + aborted.onFailure() + " (recorded as " + who + ")");
        out.println("  follow it with: tollgate status " + releaseId);
        return 0;
    }
}
