package dev.tollgate.functions.finalize;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.deployment.FinalizeService;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.AwsTrafficRouters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Ends the deployment. {@code PROMOTE}: all traffic to the new version. {@code RETIRE}: after the
 * drain, stops what the old version still runs. {@code ROLLBACK}: all traffic to the old one,
 * canary stopped; {@code cause} says whether a verdict or a failure led here.
 */
public final class FinalizeHandler extends JsonHandler<FinalizeHandler.Request, Object> {

    /** Seconds between polls of a target that finishes a promotion or rollback by itself; the local stack sets 1. */
    public static final String POLL_SECONDS = "CANARY_POLL_SECONDS";

    private final FinalizeService finalizer;

    public FinalizeHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public FinalizeHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment), environment.getInt(POLL_SECONDS, 15)));
    }

    public FinalizeHandler(FinalizeService finalizer) {
        super(Request.class);
        this.finalizer = finalizer;
    }

    private static FinalizeService wire(AwsClients clients, int pollSeconds) {
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        return new FinalizeService(AwsTrafficRouters.control(clients, dynamo, Wiring.clock()),
                new DynamoDeploymentStore(dynamo, clients.environment().require(FunctionEnvironment.TABLE_NAME)), Wiring.clock(),
                pollSeconds);
    }

    @Override
    protected Object handle(Request request, Context context) {
        DeploymentSpec spec = required(request.spec(), "spec");
        return switch (required(request.action(), "action")) {
            case PROMOTE -> finalizer.promote(spec, required(request.reason(), "reason"));
            case RETIRE -> finalizer.retireOldVersion(spec);
            case ROLLBACK -> {
                Rollback rollback = required(request.rollback(), "rollback");
                boolean decided = rollback.cause() == RollbackCause.DECISION;
                yield finalizer.rollBack(spec, decided ? rollback.reason() : FailureReport.describe(rollback), decided);
            }
        };
    }

    public enum FinalAction { PROMOTE, RETIRE, ROLLBACK }

    /** Why a rollback happens: the judge's or an operator's decision, or a failure on the way. */
    public enum RollbackCause { DECISION, FAILURE }

    /**
     * What led to the rollback, as the state machine's Describe* states put it: for a failure, the
     * error name and cause Step Functions caught.
     */
    public record Rollback(RollbackCause cause, String reason, String error, String errorCause) {
    }

    public record Request(FinalAction action, DeploymentSpec spec, String reason, Rollback rollback) {
    }
}
