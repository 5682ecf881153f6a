package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.cli.ReleaseCommands;
import dev.tollgate.json.Json;
import dev.tollgate.json.Nullable;
import dev.tollgate.release.DynamoReleaseStore;
import dev.tollgate.release.ReleaseRecord;
import dev.tollgate.spec.ReleaseSpec.OnFailure;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * One whole release in waves on a running local stack: each target's ECS service behind its load balancer, alarm and
 * traffic made where its placement says (home, or another region through a role), the release's spec composed of them,
 * the release state machine's execution started and followed to its end.
 */
public final class ReleaseRun {

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** A release's waves and their children take several deployments' time: two waves of a couple of minutes each, and more under load. */
    public static final Duration FOLLOW_FOR = Duration.ofMinutes(20);
    /** The local release's bake between waves: long enough to see, short enough for a demo. */
    static final int BAKE_BETWEEN_WAVES_SECONDS = 5;

    private final LocalStack stack;
    private final PrintStream out;

    public ReleaseRun(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    /** A target of a wave: where it runs (null: at home) and how its new version behaves. */
    public record TargetPlan(@Nullable Placement placement, Scenario scenario) {}

    /** The release's end: its execution, its record, and each target's prepared release (fixtures, in wave order). */
    public record Result(
            String releaseId,
            String executionArn,
            DescribeExecutionResponse execution,
            Optional<ReleaseRecord> record,
            List<ScenarioRun.Release> targets,
            Duration wallTime) {

        public ReleaseRecord releaseRecord() {
            return record.orElseThrow(() -> new AssertionError("release " + releaseId + " has no record"));
        }
    }

    public Result run(String service, List<List<TargetPlan>> waves, OnFailure onFailure, long seed)
            throws InterruptedException {
        return run(service, waves, onFailure, seed, request -> request, FOLLOW_FOR);
    }

    /** The release of {@code waves}, its request adjusted by {@code adjust} before it starts, followed up to {@code followFor}. */
    public Result run(
            String service,
            List<List<TargetPlan>> waves,
            OnFailure onFailure,
            long seed,
            UnaryOperator<ObjectNode> adjust,
            Duration followFor)
            throws InterruptedException {
        Instant began = Instant.now();
        String releaseId = service + "-" + ID_TIME.format(began);
        List<ScenarioRun.Release> prepared = new ArrayList<>();
        try {
            ObjectNode request = null;
            ArrayNode waveNodes = null;
            long targetSeed = seed;
            for (List<TargetPlan> wave : waves) {
                ArrayNode targets = null;
                for (TargetPlan plan : wave) {
                    ScenarioRun.Release release = new ScenarioRun(stack, out, plan.placement())
                            .prepare(plan.scenario(), DemoTarget.ECS_ALB, service, targetSeed++, false);
                    prepared.add(release);
                    if (request == null) {
                        request = releaseOf(releaseId, release.spec(), onFailure);
                        waveNodes = request.putArray("waves");
                    }
                    if (targets == null) {
                        targets = waveNodes.addObject().putArray("targets");
                    }
                    ObjectNode target = targets.addObject();
                    if (plan.placement() != null) {
                        plan.placement().applyTo(target);
                    } else {
                        target.put("region", LocalStack.REGION);
                    }
                    target.set("target", release.spec().get("target"));
                    out.println("wave " + waveNodes.size() + ": " + service + " in "
                            + (plan.placement() == null
                                    ? LocalStack.REGION
                                    : plan.placement().region()) + ", scenario "
                            + plan.scenario().cliName());
                }
            }
            ObjectNode adjusted = adjust.apply(request);
            String executionArn = start(releaseId, adjusted);
            out.println("started release " + releaseId);
            out.println("  execution " + executionArn);
            DescribeExecutionResponse ended = follow(releaseId, executionArn, followFor);
            return new Result(
                    releaseId,
                    executionArn,
                    ended,
                    releases().find(releaseId),
                    prepared,
                    Duration.between(began, Instant.now()));
        } finally {
            prepared.forEach(ScenarioRun.Release::close);
        }
    }

    /** The shared part of the release: the first target's schedule and analysis, which every target of one service shares. */
    private static ObjectNode releaseOf(String releaseId, ObjectNode firstSpec, OnFailure onFailure) {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("releaseId", releaseId);
        request.put("service", firstSpec.path("service").asText());
        request.set("steps", firstSpec.get("steps"));
        request.set("analysis", firstSpec.get("analysis"));
        request.put("bakeBetweenWavesSeconds", BAKE_BETWEEN_WAVES_SECONDS);
        request.put("onFailure", onFailure.name());
        return request;
    }

    public String start(String releaseId, ObjectNode request) {
        return stack.sfn()
                .startExecution(start -> start.stateMachineArn(stack.releaseStateMachineArn())
                        .name(releaseId)
                        .input(Json.write(request)))
                .executionArn();
    }

    public DynamoReleaseStore releases() {
        return new DynamoReleaseStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
    }

    /** Prints each target's status as it changes until the release execution ends (or {@code followFor} passes). */
    public DescribeExecutionResponse follow(String releaseId, String executionArn, Duration followFor)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(followFor);
        List<String> printed = new ArrayList<>();
        DynamoReleaseStore releases = releases();
        while (true) {
            releases.find(releaseId).ifPresent(record -> {
                for (String line : ReleaseCommands.targetLines(record)) {
                    if (!printed.contains(line)) {
                        printed.add(line);
                        out.println(line);
                    }
                }
            });
            DescribeExecutionResponse execution =
                    stack.sfn().describeExecution(describe -> describe.executionArn(executionArn));
            if (execution.status() != ExecutionStatus.RUNNING) {
                Optional<ReleaseRecord> record = releases.find(releaseId);
                out.println(
                        "outcome: " + record.map(ended -> ended.status().name()).orElse(execution.statusAsString())
                                + " " + releaseId
                                + record.map(ReleaseRecord::reason)
                                        .map(reason -> " " + reason)
                                        .orElse(""));
                return execution;
            }
            if (Instant.now().isAfter(deadline)) {
                out.println("release " + releaseId + " still running after " + followFor.toMinutes()
                        + " min; stopped following");
                return execution;
            }
            Thread.sleep(1000);
        }
    }
}
