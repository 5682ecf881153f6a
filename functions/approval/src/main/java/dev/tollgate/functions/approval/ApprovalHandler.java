package dev.tollgate.functions.approval;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.aws.OnFirstUse;
import dev.tollgate.deployment.ApprovalService;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import dev.tollgate.ops.ApprovalGates;
import dev.tollgate.ops.StepFunctionsTaskTokens;
import dev.tollgate.release.ReleaseMembership;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The approval gate: parks the state machine's task token on the deployment record, where
 * {@code tollgate approve} (SendTaskSuccess) or {@code tollgate abort} (SendTaskFailure) finds it.
 * With {@code gate: ROLLBACK_WINDOW} it parks the promotion's rollback window instead, which
 * {@code tollgate rollback} answers (SendTaskFailure) and the window's end times out; for a release's target it then
 * tells the release the target is promoted (SendTaskSuccess on the release's waiting task).
 */
public final class ApprovalHandler extends JsonHandler<ApprovalHandler.Request, ApprovalHandler.Parked> {

    private final ApprovalService approvals;
    private final Supplier<ApprovalGates> releaseTasks;

    public ApprovalHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public ApprovalHandler(FunctionEnvironment environment) {
        this(new AwsClients(environment));
    }

    private ApprovalHandler(AwsClients clients) {
        // Only a release's target needs Step Functions, once, at its window: not built on every cold start.
        this(
                Wiring.deploymentStore(clients),
                Wiring.clock(),
                Wiring.deploymentEvents(clients),
                OnFirstUse.of(() -> new StepFunctionsTaskTokens(clients.build(SfnClient.builder()))));
    }

    public ApprovalHandler(DeploymentStore store, Clock clock) {
        this(store, clock, DeploymentEvents.NONE);
    }

    public ApprovalHandler(DeploymentStore store, Clock clock, DeploymentEvents events) {
        this(store, clock, events, () -> {
            throw new IllegalStateException("no Step Functions client to answer a release with");
        });
    }

    public ApprovalHandler(
            DeploymentStore store, Clock clock, DeploymentEvents events, Supplier<ApprovalGates> releaseTasks) {
        super(Request.class);
        this.approvals = new ApprovalService(store, clock, events);
        this.releaseTasks = releaseTasks;
    }

    @Override
    protected String primingEvent() {
        return "approval.json";
    }

    @Override
    protected Parked handle(Request request, Context context) {
        String deploymentId = required(request.deploymentId(), "deploymentId");
        String taskToken = required(request.taskToken(), "taskToken");
        if (request.gate() == Gate.ROLLBACK_WINDOW) {
            Instant until = approvals.openRollbackWindow(
                    deploymentId,
                    required(request.service(), "service"),
                    required(request.windowSeconds(), "windowSeconds"),
                    taskToken);
            if (request.release() != null && request.release().inRelease()) {
                approvals.tellReleasePromoted(releaseTasks.get(), deploymentId, request.release(), until);
            }
            return new Parked(deploymentId, null, until.toString());
        }
        int stepIndex = required(request.nextStepIndex(), "nextStepIndex");
        approvals.park(deploymentId, request.service(), stepIndex, taskToken, request.reason());
        return new Parked(deploymentId, stepIndex, null);
    }

    /** What waits on the token: an approval gate before a step (the default), or the promotion's rollback window. */
    public enum Gate {
        APPROVAL,
        ROLLBACK_WINDOW
    }

    /**
     * {@code service} is absent only from executions started before the state machine passed it;
     * {@code nextStepIndex} is the approval gate's, {@code windowSeconds} and {@code release} the rollback window's.
     */
    public record Request(
            @Nullable Gate gate,
            String deploymentId,
            @Nullable String service,
            @Nullable Integer nextStepIndex,
            String taskToken,
            @Nullable String reason,
            @Nullable Integer windowSeconds,
            @Nullable ReleaseMembership release) {

        public Request(
                @Nullable Gate gate,
                String deploymentId,
                @Nullable String service,
                @Nullable Integer nextStepIndex,
                String taskToken,
                @Nullable String reason,
                @Nullable Integer windowSeconds) {
            this(gate, deploymentId, service, nextStepIndex, taskToken, reason, windowSeconds, null);
        }
    }

    public record Parked(
            String deploymentId,
            @Nullable Integer nextStepIndex,
            @Nullable String rollbackWindowUntil) {}
}
