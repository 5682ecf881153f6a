package dev.tollgate.functions.approval;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.ApprovalService;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import java.time.Clock;

/**
 * The approval gate: parks the state machine's task token on the deployment record, where
 * {@code tollgate approve} (SendTaskSuccess) or {@code tollgate abort} (SendTaskFailure) finds it.
 */
public final class ApprovalHandler extends JsonHandler<ApprovalHandler.Request, ApprovalHandler.Parked> {

    private final ApprovalService approvals;

    public ApprovalHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public ApprovalHandler(FunctionEnvironment environment) {
        this(new AwsClients(environment));
    }

    private ApprovalHandler(AwsClients clients) {
        this(Wiring.deploymentStore(clients), Wiring.clock(), Wiring.deploymentEvents(clients));
    }

    public ApprovalHandler(DeploymentStore store, Clock clock) {
        this(store, clock, DeploymentEvents.NONE);
    }

    public ApprovalHandler(DeploymentStore store, Clock clock, DeploymentEvents events) {
        super(Request.class);
        this.approvals = new ApprovalService(store, clock, events);
    }

    @Override
    protected String primingEvent() {
        return "approval.json";
    }

    @Override
    protected Parked handle(Request request, Context context) {
        String deploymentId = required(request.deploymentId(), "deploymentId");
        int stepIndex = required(request.nextStepIndex(), "nextStepIndex");
        approvals.park(deploymentId, request.service(), stepIndex, required(request.taskToken(), "taskToken"), request.reason());
        return new Parked(deploymentId, stepIndex);
    }

    /** {@code service} is absent only from executions started before the state machine passed it. */
    public record Request(String deploymentId, @Nullable String service, Integer nextStepIndex, String taskToken,
                          @Nullable String reason) {
    }

    public record Parked(String deploymentId, int nextStepIndex) {
    }
}
