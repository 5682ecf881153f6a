package dev.tollgate.functions.approval;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import java.time.Clock;

/**
 * The approval gate: parks the state machine's task token on the deployment record, where
 * {@code tollgate approve} (SendTaskSuccess) or {@code tollgate abort} (SendTaskFailure) finds it.
 */
public final class ApprovalHandler extends JsonHandler<ApprovalHandler.Request, ApprovalHandler.Parked> {

    private final DeploymentStore store;
    private final Clock clock;

    public ApprovalHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public ApprovalHandler(FunctionEnvironment environment) {
        this(Wiring.deploymentStore(new AwsClients(environment)), Wiring.clock());
    }

    public ApprovalHandler(DeploymentStore store, Clock clock) {
        super(Request.class);
        this.store = store;
        this.clock = clock;
    }

    @Override
    protected String primingEvent() {
        return "approval.json";
    }

    @Override
    protected Parked handle(Request request, Context context) {
        String deploymentId = required(request.deploymentId(), "deploymentId");
        int stepIndex = required(request.nextStepIndex(), "nextStepIndex");
        store.awaitApproval(deploymentId, stepIndex, required(request.taskToken(), "taskToken"));
        store.append(deploymentId, new TimelineEntry("approval-" + stepIndex, clock.instant(), "AwaitApproval",
                "waiting for approval: " + request.reason(), stepIndex, null, null));
        return new Parked(deploymentId, stepIndex);
    }

    public record Request(String deploymentId, Integer nextStepIndex, String taskToken, @Nullable String reason) {
    }

    public record Parked(String deploymentId, int nextStepIndex) {
    }
}
