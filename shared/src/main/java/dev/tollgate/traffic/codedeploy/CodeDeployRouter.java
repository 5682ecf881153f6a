package dev.tollgate.traffic.codedeploy;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.errors.AwsCallFailedException;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.PinnedTaskDefinition;
import dev.tollgate.secrets.TaskDefinitionPins;
import dev.tollgate.spec.CodeDeployTarget;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.CanaryDeployment;
import dev.tollgate.traffic.CanaryHealth;
import dev.tollgate.traffic.CodeDeployPlan;
import dev.tollgate.traffic.CodeDeploySchedule;
import dev.tollgate.traffic.LambdaAliasPlan;
import dev.tollgate.traffic.ReleasePlan;
import dev.tollgate.traffic.TrafficLedger;
import dev.tollgate.traffic.TrafficOutcome;
import dev.tollgate.traffic.TrafficRouter;
import dev.tollgate.traffic.TrafficWeights;
import dev.tollgate.traffic.lambda.LambdaAliasRouter;
import dev.tollgate.traffic.lambda.LambdaVersions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.AutoRollbackEvent;
import software.amazon.awssdk.services.codedeploy.model.DeploymentConfigAlreadyExistsException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import software.amazon.awssdk.services.codedeploy.model.DeploymentTarget;
import software.amazon.awssdk.services.codedeploy.model.ECSTaskSet;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.codedeploy.model.TargetLabel;
import software.amazon.awssdk.services.codedeploy.model.TrafficRoutingConfig;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/**
 * A CodeDeploy deployment group (ECS blue/green or Lambda): CodeDeploy moves the traffic on the
 * schedule derived from the steps, and Tollgate watches and judges. It creates the deployment
 * with an AppSpec naming its own lifecycle-hook function for {@code AfterAllowTraffic} (and, on ECS,
 * {@code AfterAllowTestTraffic}), so CodeDeploy cannot finish before Tollgate says so; a failing
 * verdict stops the deployment with rollback. The traffic split is read where CodeDeploy puts it:
 * the alias's routing for Lambda, the task sets' weights for ECS.
 *
 * @see <a href="https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html">AppSpec hooks</a>
 */
public final class CodeDeployRouter implements TrafficRouter {

    /** Marks the deployments Tollgate creates, and names the Tollgate deployment behind each. */
    public static final String DESCRIPTION_PREFIX = "Tollgate deployment ";
    /** The environment variable naming the function CodeDeploy invokes for Tollgate's lifecycle hooks. */
    public static final String HOOK_FUNCTION = "CODEDEPLOY_HOOK_FUNCTION";

    private static final List<DeploymentStatus> ACTIVE = List.of(
            DeploymentStatus.CREATED,
            DeploymentStatus.QUEUED,
            DeploymentStatus.IN_PROGRESS,
            DeploymentStatus.BAKING,
            DeploymentStatus.READY);
    private static final Set<DeploymentStatus> ENDED_WITHOUT_SUCCESS =
            Set.of(DeploymentStatus.FAILED, DeploymentStatus.STOPPED);

    private final CodeDeployTarget target;
    private final CodeDeployClient codeDeploy;
    private final LambdaClient lambda;
    private final TrafficLedger hooks;
    private final CodeDeployDocuments documents;
    private final TaskDefinitionPins pins;

    /**
     * @param lambda       the Lambda client, for a Lambda deployment group (null for ECS)
     * @param hookFunction the ARN of Tollgate's lifecycle-hook function (null when not configured)
     * @param pins         for an ECS deployment group, derives the revision that reads the pinned secret versions
     */
    public CodeDeployRouter(
            CodeDeployTarget target,
            CodeDeployClient codeDeploy,
            LambdaClient lambda,
            TrafficLedger hooks,
            String hookFunction,
            TaskDefinitionPins pins) {
        this.target = target;
        this.codeDeploy = codeDeploy;
        this.lambda = lambda;
        this.hooks = hooks;
        this.documents = new CodeDeployDocuments(target, hookFunction);
        this.pins = pins;
    }

    @Override
    public boolean shiftsTrafficItself() {
        return true;
    }

    @Override
    public ReleasePlan plan(DeploymentSpec spec) {
        Optional<DeploymentInfo> ours = Optional.empty();
        for (DeploymentInfo active : activeDeployments()) {
            if (spec.deploymentId().equals(tollgateDeploymentId(active).orElse(null))) {
                ours = Optional.of(active);
                continue;
            }
            throw new TargetStateConflictException(
                    "deployment group " + target.deploymentGroup() + " already runs CodeDeploy deployment "
                            + active.deploymentId() + " (" + active.statusAsString() + ", " + describeCreator(active)
                            + "): CodeDeploy runs one deployment per group at a time. Wait for it to end or stop it");
        }
        CodeDeploySchedule schedule = CodeDeploySchedule.of(spec.steps());
        String baseline = null;
        String canary;
        if (target.lambda() != null) {
            baseline = versions()
                    .baselineAtRest(
                            target.lambda().functionName(), target.lambda().alias());
            canary = target.lambda().version();
        } else {
            canary = target.ecs().taskDefinition();
        }
        return new CodeDeployPlan(
                spec.deploymentId(),
                target.computePlatform(),
                schedule,
                baseline,
                canary,
                ours.map(DeploymentInfo::deploymentId).orElse(null));
    }

    @Override
    public CanaryDeployment deployCanary(ReleasePlan release, PinnedSecrets secrets) {
        CodeDeployPlan plan = codeDeploy(release);
        String secretsNote;
        if (plan.isLambda()) {
            LambdaVersions.LambdaRelease lambdaRelease = versions()
                    .release(
                            target.lambda().functionName(),
                            plan.canaryVersion(),
                            null,
                            plan.baselineVersion(),
                            plan.deploymentId(),
                            secrets);
            plan = plan.withCanaryVersion(lambdaRelease.version());
            secretsNote = lambdaRelease.secretsNote();
        } else {
            // The AppSpec names the revision that reads the pinned secret versions.
            PinnedTaskDefinition pinned = pins.pin(plan.canaryVersion(), secrets, plan.deploymentId());
            plan = plan.withCanaryVersion(pinned.taskDefinitionArn());
            secretsNote = pinned.describe();
        }
        String configName = ensureDeploymentConfig(plan.schedule());
        String id = plan.codeDeployDeploymentId() != null
                ? plan.codeDeployDeploymentId()
                : ours(plan).orElse(null);
        String how = "found CodeDeploy deployment ";
        if (id == null) {
            CodeDeployPlan planned = plan;
            String appSpec = documents.appSpec(planned);
            id = call(
                            "CodeDeploy CreateDeployment",
                            () -> codeDeploy.createDeployment(create -> create.applicationName(target.application())
                                    .deploymentGroupName(target.deploymentGroup())
                                    .deploymentConfigName(configName)
                                    .description(DESCRIPTION_PREFIX + planned.deploymentId())
                                    // Any failure or stop rolls traffic back to the original version, whatever the
                                    // group says.
                                    .autoRollbackConfiguration(rollback -> rollback.enabled(true)
                                            .events(
                                                    AutoRollbackEvent.DEPLOYMENT_FAILURE,
                                                    AutoRollbackEvent.DEPLOYMENT_STOP_ON_REQUEST))
                                    .revision(revision -> revision.revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                                            .appSpecContent(content -> content.content(appSpec)
                                                    .sha256(CodeDeployDocuments.sha256(appSpec))))))
                    .deploymentId();
            how = "created CodeDeploy deployment ";
        }
        String what = plan.isLambda()
                ? "version " + plan.canaryVersion() + " of " + target.lambda().functionName() + " (alias "
                        + target.lambda().alias() + " serves " + plan.baselineVersion() + ")"
                : plan.canaryVersion();
        return new CanaryDeployment(
                plan.withDeployment(id),
                how + id + " of " + what + " with " + configName + ": "
                        + plan.schedule().describe() + (secretsNote.isEmpty() ? "" : "; " + secretsNote));
    }

    @Override
    public CanaryHealth canaryHealth(ReleasePlan release) {
        CodeDeployPlan plan = codeDeploy(release);
        DeploymentInfo deployment = deployment(requireDeployment(plan));
        requireNotEnded(deployment);
        if (deployment.status() == DeploymentStatus.SUCCEEDED) {
            return new CanaryHealth(true, "CodeDeploy deployment " + deployment.deploymentId() + " already Succeeded");
        }
        int weight = trafficOnRelease(plan, deployment).canaryPercent();
        boolean shifted = weight >= plan.schedule().percentage();
        return new CanaryHealth(
                shifted,
                "CodeDeploy deployment " + deployment.deploymentId() + " " + deployment.statusAsString()
                        + ", release at " + weight + " %"
                        + (shifted
                                ? ""
                                : " (the first increment is " + plan.schedule().percentage() + " %)"));
    }

    @Override
    public TrafficWeights currentWeights(ReleasePlan release) {
        CodeDeployPlan plan = codeDeploy(release);
        DeploymentInfo deployment = deployment(requireDeployment(plan));
        requireNotEnded(deployment);
        return deployment.status() == DeploymentStatus.SUCCEEDED
                ? TrafficWeights.canaryAt(100)
                : trafficOnRelease(plan, deployment);
    }

    @Override
    public TrafficWeights shift(ReleasePlan release, int canaryPercent) {
        throw new IllegalStateException("CodeDeploy shifts traffic itself; Tollgate watches it");
    }

    /**
     * Lets CodeDeploy finish: answers the parked {@code AfterAllowTraffic} hook Succeeded, then
     * reports settled once CodeDeploy says Succeeded (it shifts the rest when its interval ends).
     */
    @Override
    public TrafficOutcome promote(ReleasePlan release) {
        CodeDeployPlan plan = codeDeploy(release);
        String id = requireDeployment(plan);
        answerParkedHooks(plan, id, LifecycleEventStatus.SUCCEEDED);
        DeploymentInfo deployment = deployment(id);
        requireNotEnded(deployment);
        if (deployment.status() == DeploymentStatus.SUCCEEDED) {
            return TrafficOutcome.settled(TrafficWeights.canaryAt(100), "CodeDeploy deployment " + id + " Succeeded");
        }
        TrafficWeights weights = trafficOnRelease(plan, deployment);
        return new TrafficOutcome(
                weights,
                false,
                "CodeDeploy deployment " + id + " " + deployment.statusAsString() + " at " + weights.canaryPercent()
                        + " %: waiting for it to shift the rest and call AfterAllowTraffic");
    }

    @Override
    public String retireOldVersion(ReleasePlan release) {
        return target.lambda() != null
                ? "nothing to stop: the old version stays published and idle"
                : "CodeDeploy terminates the original task set itself, after the deployment group's termination wait";
    }

    /**
     * Stops the deployment with rollback (CodeDeploy then restores the original version) and
     * reports settled once the rollback deployment has succeeded. Safe from any state: a stop of an
     * ended deployment is skipped, and without a deployment there is nothing to undo.
     */
    @Override
    public TrafficOutcome rollback(ReleasePlan release) {
        CodeDeployPlan plan = codeDeploy(release);
        Optional<String> id = Optional.ofNullable(plan.codeDeployDeploymentId()).or(() -> ours(plan));
        if (id.isEmpty()) {
            return TrafficOutcome.settled(
                    TrafficWeights.canaryAt(0), "no CodeDeploy deployment was created, so traffic never moved");
        }
        DeploymentInfo deployment = deployment(id.get());
        if (ACTIVE.contains(deployment.status())) {
            call(
                    "CodeDeploy StopDeployment",
                    () -> codeDeploy.stopDeployment(
                            stop -> stop.deploymentId(id.get()).autoRollbackEnabled(true)));
            deployment = deployment(id.get());
        }
        answerParkedHooks(plan, id.get(), LifecycleEventStatus.FAILED);
        if (deployment.status() == DeploymentStatus.SUCCEEDED) {
            throw new TargetStateConflictException(
                    "CodeDeploy deployment " + id.get() + " already Succeeded, so the release serves all "
                            + "traffic and CodeDeploy cannot stop it any more: deploy the previous revision"
                            + (plan.baselineVersion() == null ? "" : " (version " + plan.baselineVersion() + ")")
                            + " to undo it");
        }
        if (!ENDED_WITHOUT_SUCCESS.contains(deployment.status())) {
            return new TrafficOutcome(
                    TrafficWeights.canaryAt(0),
                    false,
                    "CodeDeploy deployment " + id.get() + " is " + deployment.statusAsString()
                            + " after the stop request");
        }
        String rollbackId = deployment.rollbackInfo() == null
                ? null
                : deployment.rollbackInfo().rollbackDeploymentId();
        if (rollbackId == null) {
            TrafficWeights weights = trafficOnRelease(plan, deployment);
            return new TrafficOutcome(
                    weights,
                    weights.canaryPercent() == 0,
                    "CodeDeploy deployment " + id.get() + " " + deployment.statusAsString()
                            + " with no rollback deployment; the release is at " + weights.canaryPercent() + " %");
        }
        DeploymentInfo rollback = deployment(rollbackId);
        if (ENDED_WITHOUT_SUCCESS.contains(rollback.status())) {
            throw new TargetStateConflictException("CodeDeploy's rollback deployment " + rollbackId + " ended "
                    + rollback.statusAsString() + describeError(rollback) + ": traffic may still reach the release");
        }
        boolean done = rollback.status() == DeploymentStatus.SUCCEEDED;
        return new TrafficOutcome(
                TrafficWeights.canaryAt(0),
                done,
                "CodeDeploy deployment " + id.get() + " " + deployment.statusAsString() + "; rollback deployment "
                        + rollbackId + " " + rollback.statusAsString());
    }

    /** Where CodeDeploy has put the traffic: the alias's routing for Lambda, the replacement task set's weight for ECS. */
    private TrafficWeights trafficOnRelease(CodeDeployPlan plan, DeploymentInfo deployment) {
        if (plan.isLambda()) {
            if (plan.canaryVersion() == null) {
                return TrafficWeights.canaryAt(0);
            }
            GetAliasResponse alias = call(
                    "Lambda GetAlias",
                    () -> lambda.getAlias(
                            get -> get.functionName(target.lambda().functionName())
                                    .name(target.lambda().alias())));
            return LambdaAliasRouter.weights(
                    new LambdaAliasPlan(
                            plan.deploymentId(),
                            target.lambda().functionName(),
                            target.lambda().alias(),
                            plan.baselineVersion(),
                            plan.canaryVersion()),
                    alias);
        }
        List<String> targetIds = call(
                        "CodeDeploy ListDeploymentTargets",
                        () -> codeDeploy.listDeploymentTargets(list -> list.deploymentId(deployment.deploymentId())))
                .targetIds();
        if (targetIds.isEmpty()) {
            return TrafficWeights.canaryAt(0);
        }
        List<DeploymentTarget> targets = call(
                        "CodeDeploy BatchGetDeploymentTargets",
                        () -> codeDeploy.batchGetDeploymentTargets(get ->
                                get.deploymentId(deployment.deploymentId()).targetIds(targetIds)))
                .deploymentTargets();
        // ECSTaskSet.trafficWeight is the percentage of production traffic the task set serves.
        double green = targets.stream()
                .filter(t -> t.ecsTarget() != null)
                .flatMap(t -> t.ecsTarget().taskSetsInfo().stream())
                .filter(taskSet -> taskSet.taskSetLabel() == TargetLabel.GREEN)
                .mapToDouble(ECSTaskSet::trafficWeight)
                .sum();
        return TrafficWeights.canaryAt((int) Math.round(green));
    }

    /** The predefined configuration when the schedule matches one, otherwise Tollgate's own, created once and checked after. */
    private String ensureDeploymentConfig(CodeDeploySchedule schedule) {
        String name = schedule.configName(target.computePlatform());
        if (schedule.predefined(target.computePlatform())) {
            return name;
        }
        TrafficRoutingConfig wanted = CodeDeployDocuments.routingConfig(schedule);
        try {
            codeDeploy.createDeploymentConfig(create -> create.deploymentConfigName(name)
                    .computePlatform(target.computePlatform())
                    .trafficRoutingConfig(wanted));
        } catch (DeploymentConfigAlreadyExistsException exists) {
            TrafficRoutingConfig found = call(
                            "CodeDeploy GetDeploymentConfig",
                            () -> codeDeploy.getDeploymentConfig(get -> get.deploymentConfigName(name)))
                    .deploymentConfigInfo()
                    .trafficRoutingConfig();
            if (!wanted.equals(found)) {
                throw new TargetStateConflictException("deployment configuration " + name + " exists with " + found
                        + ", not " + wanted + ": it was created by someone else; delete or rename it");
            }
        } catch (SdkException failure) {
            throw AwsErrors.translate("CodeDeploy CreateDeploymentConfig", failure);
        }
        return name;
    }

    /**
     * Answers the hooks parked on the record. A rollback's answers are best effort: after the stop
     * CodeDeploy may refuse them, and the rollback must not fail for that.
     */
    private void answerParkedHooks(CodeDeployPlan plan, String codeDeployDeploymentId, LifecycleEventStatus status) {
        for (String execution : hooks.parkedLifecycleHooks(plan.deploymentId())) {
            try {
                CodeDeployHooks.answer(codeDeploy, codeDeployDeploymentId, execution, status);
            } catch (AwsCallFailedException refused) {
                if (status != LifecycleEventStatus.FAILED) {
                    throw refused;
                }
            }
            hooks.clearLifecycleHook(plan.deploymentId(), execution);
        }
    }

    private List<DeploymentInfo> activeDeployments() {
        List<String> ids = call(
                        "CodeDeploy ListDeployments",
                        () -> codeDeploy.listDeployments(list -> list.applicationName(target.application())
                                .deploymentGroupName(target.deploymentGroup())
                                .includeOnlyStatuses(ACTIVE)))
                .deployments();
        if (ids.isEmpty()) {
            return List.of();
        }
        return call(
                        "CodeDeploy BatchGetDeployments",
                        () -> codeDeploy.batchGetDeployments(get -> get.deploymentIds(ids)))
                .deploymentsInfo();
    }

    /** The deployment this Tollgate deployment created, found by its description when the record missed its id (a crash). */
    private Optional<String> ours(CodeDeployPlan plan) {
        return activeDeployments().stream()
                .filter(d -> plan.deploymentId().equals(tollgateDeploymentId(d).orElse(null)))
                .map(DeploymentInfo::deploymentId)
                .findFirst();
    }

    static Optional<String> tollgateDeploymentId(DeploymentInfo deployment) {
        String description = deployment.description();
        return description != null && description.startsWith(DESCRIPTION_PREFIX)
                ? Optional.of(description.substring(DESCRIPTION_PREFIX.length()).trim())
                : Optional.empty();
    }

    private DeploymentInfo deployment(String id) {
        return call("CodeDeploy GetDeployment", () -> codeDeploy.getDeployment(get -> get.deploymentId(id)))
                .deploymentInfo();
    }

    private static void requireNotEnded(DeploymentInfo deployment) {
        if (ENDED_WITHOUT_SUCCESS.contains(deployment.status())) {
            throw new CanaryUnhealthyException("CodeDeploy deployment " + deployment.deploymentId() + " ended "
                    + deployment.statusAsString() + describeError(deployment));
        }
    }

    private static String describeError(DeploymentInfo deployment) {
        var error = deployment.errorInformation();
        return error == null || error.message() == null ? "" : ": " + error.codeAsString() + " " + error.message();
    }

    private static String describeCreator(DeploymentInfo deployment) {
        return tollgateDeploymentId(deployment)
                .map(id -> "created by Tollgate deployment " + id)
                .orElse("created by " + deployment.creatorAsString());
    }

    private static String requireDeployment(CodeDeployPlan plan) {
        if (plan.codeDeployDeploymentId() == null) {
            throw new TargetStateConflictException("no CodeDeploy deployment was created for " + plan.deploymentId());
        }
        return plan.codeDeployDeploymentId();
    }

    private LambdaVersions versions() {
        return new LambdaVersions(lambda);
    }

    private static CodeDeployPlan codeDeploy(ReleasePlan plan) {
        if (plan instanceof CodeDeployPlan codeDeploy) {
            return codeDeploy;
        }
        throw new TargetStateConflictException(
                "the deployment's record holds a " + plan.getClass().getSimpleName()
                        + ", not a CODEDEPLOY plan: the target type changed during the deployment");
    }
}
