package dev.tollgate.functions.lock;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.LockService;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;

/**
 * Takes the per-service lock before anything changes ({@code ACQUIRE}) and releases it on every way
 * out ({@code RELEASE}) except one: when a rollback failed, the lock stays held until a human looks.
 */
public final class DeploymentLockHandler
        extends JsonHandler<DeploymentLockHandler.Request, DeploymentLockHandler.Result> {

    private final LockService locks;

    public DeploymentLockHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public DeploymentLockHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)));
    }

    private static LockService wire(AwsClients clients) {
        return new LockService(Wiring.deploymentStore(clients), Wiring.clock(), Wiring.deploymentEvents(clients));
    }

    public DeploymentLockHandler(LockService locks) {
        super(Request.class);
        this.locks = locks;
    }

    @Override
    protected String primingEvent() {
        return "deployment-lock-acquire.json";
    }

    @Override
    protected Result handle(Request request, Context context) {
        String service = required(request.service(), "service");
        String deploymentId = required(request.deploymentId(), "deploymentId");
        String executionArn = required(request.executionArn(), "executionArn");
        switch (required(request.action(), "action")) {
            case ACQUIRE -> locks.acquire(service, deploymentId, executionArn);
            case RELEASE -> locks.release(service, deploymentId, executionArn);
        }
        return new Result(request.action(), service, deploymentId);
    }

    public enum LockAction {
        ACQUIRE,
        RELEASE
    }

    public record Request(LockAction action, String service, String deploymentId, String executionArn) {}

    public record Result(LockAction action, String service, String deploymentId) {}
}
