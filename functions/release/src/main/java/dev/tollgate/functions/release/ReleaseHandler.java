package dev.tollgate.functions.release;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Json;
import dev.tollgate.ops.OpsService;
import dev.tollgate.ops.StepFunctionsExecutions;
import dev.tollgate.release.DynamoReleaseStore;
import dev.tollgate.release.ReleaseService;
import dev.tollgate.release.ReleaseService.TargetOutcome;
import dev.tollgate.spec.ReleaseSpec;
import dev.tollgate.spec.SpecValidator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The release state machine's function: one action per state ({@code OPEN}, {@code START_WAVE}, {@code CHECK_LOCK},
 * {@code END_WAVE}, {@code COMPLETE}, {@code CHECK_TARGETS_ENDED}, {@code FINISH_PROMOTED}, {@code HALT},
 * {@code ROLL_BACK_NEXT_WAVE}, {@code CHECK_ROLLBACK}, {@code CLOSE_KEPT_WINDOWS}, {@code FINISH_HALTED}); and Step Functions' status event of a deployment execution, which answers the release's task
 * waiting on that target when it ended without its rollback window opening.
 */
public final class ReleaseHandler extends JsonHandler<JsonNode, Object> {

    /** The deployment state machine the release's targets run in. */
    public static final String DEPLOYMENT_STATE_MACHINE_ARN = "DEPLOYMENT_STATE_MACHINE_ARN";

    static final String STATUS_CHANGE = "Step Functions Execution Status Change";

    private final ReleaseService releases;

    public ReleaseHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public ReleaseHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)));
    }

    public ReleaseHandler(ReleaseService releases) {
        super(JsonNode.class);
        this.releases = releases;
    }

    private static ReleaseService wire(AwsClients clients) {
        StepFunctionsExecutions executions = new StepFunctionsExecutions(
                clients.build(SfnClient.builder()), clients.environment().require(DEPLOYMENT_STATE_MACHINE_ARN));
        // The deployments and the releases share one table, so one client: a second would be built on every cold start.
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        String table = clients.environment().require(FunctionEnvironment.TABLE_NAME);
        DeploymentStore deployments = new DynamoDeploymentStore(dynamo, table);
        OpsService ops = new OpsService(deployments, executions, executions, new SpecValidator(), Wiring.clock());
        return new ReleaseService(
                new DynamoReleaseStore(dynamo, table),
                deployments,
                ops,
                executions,
                executions,
                Wiring.deploymentEvents(clients),
                Wiring.clock(),
                clients.region().id());
    }

    @Override
    protected String primingEvent() {
        return "release-target-ended.json";
    }

    @Override
    protected Object handle(JsonNode request, Context context) {
        if (STATUS_CHANGE.equals(request.path("detail-type").asText())) {
            JsonNode detail = request.path("detail");
            return Map.of(
                    "answered",
                    releases.childEnded(
                            detail.path("status").asText(),
                            text(detail, "input"),
                            text(detail, "error"),
                            text(detail, "cause")));
        }
        String releaseId = required(text(request, "releaseId"), "releaseId");
        String action = required(text(request, "action"), "action");
        return switch (action) {
            case "OPEN" ->
                Map.of(
                        "releaseId",
                        releases.open(
                                        Json.MAPPER.convertValue(request.get("release"), ReleaseSpec.class),
                                        required(text(request, "executionArn"), "executionArn"))
                                .releaseId());
            case "START_WAVE" -> {
                releases.startWave(releaseId, wave(request));
                yield Map.of("wave", wave(request));
            }
            case "CHECK_LOCK" ->
                releases.checkLock(
                        releaseId,
                        required(text(request, "deploymentId"), "deploymentId"),
                        required(text(request, "serviceLock"), "serviceLock"));
            case "END_WAVE" ->
                releases.endWave(
                        releaseId,
                        wave(request),
                        List.of(Json.MAPPER.convertValue(request.get("outcomes"), TargetOutcome[].class)));
            case "HALT" ->
                Map.of(
                        "onFailure",
                        releases.halt(
                                        releaseId,
                                        text(request.path("failure"), "Error"),
                                        text(request.path("failure"), "Cause"))
                                .name());
            case "ROLL_BACK_NEXT_WAVE" -> releases.rollBackNextWave(releaseId);
            case "CHECK_ROLLBACK" -> releases.checkRollback(releaseId, wave(request));
            case "CLOSE_KEPT_WINDOWS" -> Map.of("closing", releases.closeKeptWindows(releaseId));
            case "COMPLETE" -> Map.of("closing", releases.complete(releaseId));
            case "CHECK_TARGETS_ENDED" -> releases.checkTargetsEnded(releaseId);
            case "FINISH_HALTED" ->
                Map.of("reason", String.valueOf(releases.finishHalted(releaseId).reason()));
            case "FINISH_PROMOTED" ->
                Map.of(
                        "releaseId",
                        releaseId,
                        "status",
                        releases.finishPromoted(releaseId).status().name());
            default -> throw new BadRequestException("unknown action " + action + " for the release function");
        };
    }

    private static int wave(JsonNode request) {
        JsonNode wave = request.get("wave");
        if (wave == null || !wave.canConvertToInt()) {
            throw new BadRequestException("wave is missing or not a number");
        }
        return wave.asInt();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
