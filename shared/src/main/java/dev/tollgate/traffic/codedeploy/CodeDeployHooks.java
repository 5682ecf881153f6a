package dev.tollgate.traffic.codedeploy;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.traffic.TrafficLedger;
import dev.tollgate.traffic.codedeploy.LifecycleHookPolicy.Answer;
import dev.tollgate.traffic.codedeploy.LifecycleHookPolicy.HookDecision;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentCreator;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventAlreadyCompletedException;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

/**
 * Tollgate as CodeDeploy's lifecycle hook: finds the Tollgate deployment behind the CodeDeploy one
 * (by the description Tollgate gave it), and answers from its record, or parks the hook on the
 * record for Tollgate's Promote or RollBack to answer.
 *
 * @see <a href="https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html">PutLifecycleEventHookExecutionStatus</a>
 */
public final class CodeDeployHooks {

    private final CodeDeployClient codeDeploy;
    private final DeploymentStore store;
    private final TrafficLedger ledger;
    private final Clock clock;

    public CodeDeployHooks(CodeDeployClient codeDeploy, DeploymentStore store, TrafficLedger ledger, Clock clock) {
        this.codeDeploy = codeDeploy;
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** What the hook did: answered (and how) or parked, and why. */
    public record HookResult(String codeDeployDeploymentId, String deploymentId, String answer, String reason) {}

    public HookResult handle(String codeDeployDeploymentId, String hookExecutionId) {
        DeploymentInfo deployment = call(
                        "CodeDeploy GetDeployment",
                        () -> codeDeploy.getDeployment(get -> get.deploymentId(codeDeployDeploymentId)))
                .deploymentInfo();
        if (deployment.creator() == DeploymentCreator.CODE_DEPLOY_ROLLBACK) {
            return answered(
                    codeDeployDeploymentId, null, hookExecutionId, Answer.SUCCEEDED, "a rollback is never held up");
        }
        Optional<String> deploymentId = CodeDeployRouter.tollgateDeploymentId(deployment);
        if (deploymentId.isEmpty()) {
            return answered(
                    codeDeployDeploymentId,
                    null,
                    hookExecutionId,
                    Answer.SUCCEEDED,
                    "not a Tollgate deployment (its description does not name one), so Tollgate has nothing to object to");
        }
        Optional<DeploymentRecord> record = store.find(deploymentId.get());
        if (record.isEmpty()) {
            return answered(
                    codeDeployDeploymentId,
                    deploymentId.get(),
                    hookExecutionId,
                    Answer.FAILED,
                    "Tollgate has no record of deployment " + deploymentId.get());
        }
        HookDecision decision = LifecycleHookPolicy.decide(record.get());
        if (decision.answer() == Answer.WAIT) {
            ledger.parkLifecycleHook(deploymentId.get(), hookExecutionId, clock.instant());
            return new HookResult(codeDeployDeploymentId, deploymentId.get(), "PARKED", decision.reason());
        }
        return answered(
                codeDeployDeploymentId, deploymentId.get(), hookExecutionId, decision.answer(), decision.reason());
    }

    private HookResult answered(
            String codeDeployDeploymentId, String deploymentId, String hookExecutionId, Answer answer, String reason) {
        answer(
                codeDeploy,
                codeDeployDeploymentId,
                hookExecutionId,
                answer == Answer.SUCCEEDED ? LifecycleEventStatus.SUCCEEDED : LifecycleEventStatus.FAILED);
        return new HookResult(codeDeployDeploymentId, deploymentId, answer.name(), reason);
    }

    /** Answers a hook execution; one answered already (by the hook or by Tollgate) is left as it is. */
    static void answer(
            CodeDeployClient codeDeploy,
            String codeDeployDeploymentId,
            String hookExecutionId,
            LifecycleEventStatus status) {
        try {
            codeDeploy.putLifecycleEventHookExecutionStatus(put -> put.deploymentId(codeDeployDeploymentId)
                    .lifecycleEventHookExecutionId(hookExecutionId)
                    .status(status));
        } catch (LifecycleEventAlreadyCompletedException alreadyAnswered) {
            // Both the hook and Tollgate's Promote may answer the same execution; the first answer stands.
        } catch (SdkException failure) {
            throw AwsErrors.translate("CodeDeploy PutLifecycleEventHookExecutionStatus", failure);
        }
    }
}
