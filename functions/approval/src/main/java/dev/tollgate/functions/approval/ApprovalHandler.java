package dev.tollgate.functions.approval;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import java.time.Clock;
import java.time.Instant;

/**
 * The approval gate: parks the state machine's task token on the deployment record, where
 * {@code tollgate approve} (SendTaskSuccess) or {@code tollgate abort} (SendTaskFailure) finds it.
 */
public final class ApprovalHandler extends JsonHandler<ApprovalHandler.Request, ApprovalHandler.Parked> {

    private final DeploymentStore store;
    private final Clock clock;
    private final DeploymentEvents events;

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
        this.store = store;
        this.clock = clock;
        this.events = events;
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
        Instant now = clock.instant();
        store.append(deploymentId, new TimelineEntry("approval-" + stepIndex, now, "AwaitApproval",
                "waiting for approval: " + request.reason(), stepIndex, null, null));
        events.publish(DeploymentEvent.awaitingApproval(deploymentId, now, stepIndex, request.reason()));
        return new Parked(deploymentId, stepIndex);
    }

    public record Request(String deploymentId, Integer nextStepIndex, String taskToken, @Nullable String reason) {
    }

    public record Parked(String deploymentId, int nextStepIndex) {
    }
}
