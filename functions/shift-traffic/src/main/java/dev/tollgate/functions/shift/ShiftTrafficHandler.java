package dev.tollgate.functions.shift;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import dev.tollgate.rollout.ShiftService;
import dev.tollgate.rollout.ShiftService.ShiftWatch;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.AwsTrafficRouters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code SHIFT} (the default) sets the canary's absolute weight for a step (safe to retry) and
 * starts the step's bake clock; {@code WATCH} is one look at a target that shifts by itself
 * (CodeDeploy), starting the step once it has.
 */
public final class ShiftTrafficHandler extends JsonHandler<ShiftTrafficHandler.Request, Object> {

    /** Seconds between looks at a self-shifting target; the local stack sets 1. */
    public static final String POLL_SECONDS = "CANARY_POLL_SECONDS";

    private final ShiftService shifts;
    private final int pollSeconds;

    public ShiftTrafficHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public ShiftTrafficHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)), environment.getInt(POLL_SECONDS, 15));
    }

    public ShiftTrafficHandler(ShiftService shifts, int pollSeconds) {
        super(Request.class);
        this.shifts = shifts;
        this.pollSeconds = pollSeconds;
    }

    private static ShiftService wire(AwsClients clients) {
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        return new ShiftService(
                AwsTrafficRouters.control(clients, dynamo, Wiring.clock()),
                new DynamoDeploymentStore(dynamo, clients.environment().require(FunctionEnvironment.TABLE_NAME)),
                Wiring.clock(),
                Wiring.deploymentEvents(clients));
    }

    @Override
    protected String primingEvent() {
        return "shift-traffic.json";
    }

    @Override
    protected Object handle(Request request, Context context) {
        DeploymentSpec spec = required(request.spec(), "spec");
        int stepIndex = required(request.stepIndex(), "stepIndex");
        return request.action() == ShiftAction.WATCH
                ? shifts.watch(spec, stepIndex, request.watch(), pollSeconds)
                : shifts.shift(spec, stepIndex);
    }

    public enum ShiftAction {
        SHIFT,
        WATCH
    }

    public record Request(
            @Nullable ShiftAction action,
            DeploymentSpec spec,
            Integer stepIndex,
            @Nullable ShiftWatch watch) {}
}
