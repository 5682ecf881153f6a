package dev.tollgate.traffic.lambda;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.LambdaAliasTarget;
import dev.tollgate.traffic.CanaryDeployment;
import dev.tollgate.traffic.CanaryHealth;
import dev.tollgate.traffic.LambdaAliasPlan;
import dev.tollgate.traffic.ReleasePlan;
import dev.tollgate.traffic.TrafficOutcome;
import dev.tollgate.traffic.TrafficRouter;
import dev.tollgate.traffic.TrafficWeights;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;

/**
 * A Lambda alias with weighted routing: the alias keeps serving the old version
 * ({@code FunctionVersion}) while {@code RoutingConfig.AdditionalVersionWeights} sends a fraction of
 * invocations to the release. Promotion points the alias at the release with no routing left;
 * rollback clears the routing.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html">Lambda alias routing</a>
 */
public final class LambdaAliasRouter implements TrafficRouter {

    /** Lambda stores weights as fractions (0.0-1.0); Tollgate sets whole percents and reads them back within this much. */
    static final double WEIGHT_TOLERANCE = 0.0005;

    private final LambdaAliasTarget target;
    private final LambdaClient lambda;
    private final LambdaVersions versions;

    public LambdaAliasRouter(LambdaAliasTarget target, LambdaClient lambda) {
        this.target = target;
        this.lambda = lambda;
        this.versions = new LambdaVersions(lambda);
    }

    @Override
    public ReleasePlan plan(DeploymentSpec spec) {
        String deploymentId = spec.deploymentId();
        String baseline = versions.baselineAtRest(target.functionName(), target.alias());
        return new LambdaAliasPlan(deploymentId, target.functionName(), target.alias(), baseline, target.version());
    }

    @Override
    public CanaryDeployment deployCanary(ReleasePlan release, PinnedSecrets secrets) {
        LambdaAliasPlan plan = lambdaAlias(release);
        TrafficWeights weights = currentWeights(plan);
        if (weights.canaryPercent() != 0) {
            throw new TargetStateConflictException("alias " + plan.alias() + " already sends " + weights.canaryPercent()
                    + " % to the release before its canary was deployed; clear its routing by hand or roll back");
        }
        LambdaVersions.LambdaRelease published = versions.release(
                plan.functionName(),
                plan.canaryVersion(),
                target.codeSha256(),
                plan.baselineVersion(),
                plan.deploymentId(),
                secrets);
        String version = published.version();
        String how = target.version() == null ? "published version " + version : "version " + version;
        return new CanaryDeployment(
                plan.withCanaryVersion(version),
                how + " of " + plan.functionName() + " at 0 % (alias "
                        + plan.alias() + " serves version " + plan.baselineVersion() + ")"
                        + (published.secretsNote().isEmpty() ? "" : "; " + published.secretsNote()));
    }

    @Override
    public CanaryHealth canaryHealth(ReleasePlan release) {
        LambdaAliasPlan plan = lambdaAlias(release);
        return versions.health(plan.functionName(), requireCanary(plan));
    }

    @Override
    public TrafficWeights currentWeights(ReleasePlan release) {
        return weights(lambdaAlias(release), alias(lambdaAlias(release)));
    }

    @Override
    public TrafficWeights shift(ReleasePlan release, int canaryPercent) {
        LambdaAliasPlan plan = lambdaAlias(release);
        String canary = requireCanary(plan);
        Map<String, Double> routing = canaryPercent == 0 ? Map.of() : Map.of(canary, canaryPercent / 100.0);
        return update(plan, plan.baselineVersion(), routing, canaryPercent, true);
    }

    @Override
    public TrafficOutcome promote(ReleasePlan release) {
        LambdaAliasPlan plan = lambdaAlias(release);
        TrafficWeights weights = update(plan, requireCanary(plan), Map.of(), 100, true);
        return TrafficOutcome.settled(
                weights, "alias " + plan.alias() + " serves version " + plan.canaryVersion() + " with no routing");
    }

    @Override
    public String retireOldVersion(ReleasePlan release) {
        LambdaAliasPlan plan = lambdaAlias(release);
        return "nothing to stop: version " + plan.baselineVersion() + " stays published and idle";
    }

    @Override
    public TrafficOutcome rollback(ReleasePlan release) {
        LambdaAliasPlan plan = lambdaAlias(release);
        // The baseline is on the record from before the first change, so this works whatever the alias shows now.
        TrafficWeights weights = update(plan, plan.baselineVersion(), Map.of(), 0, false);
        return TrafficOutcome.settled(
                weights, "alias " + plan.alias() + " serves version " + plan.baselineVersion() + " with no routing");
    }

    /** Sets the alias absolutely and reads it back; {@code guarded} passes the revision just read, so a concurrent edit fails. */
    private TrafficWeights update(
            LambdaAliasPlan plan,
            String functionVersion,
            Map<String, Double> routing,
            int canaryPercent,
            boolean guarded) {
        String revision = guarded ? alias(plan).revisionId() : null;
        try {
            lambda.updateAlias(update -> update.functionName(plan.functionName())
                    .name(plan.alias())
                    .functionVersion(functionVersion)
                    .revisionId(revision)
                    .routingConfig(config -> config.additionalVersionWeights(routing)));
        } catch (PreconditionFailedException changed) {
            throw new TargetStateConflictException("alias " + plan.alias() + " of " + plan.functionName()
                    + " changed while Tollgate was updating it (revision " + revision
                    + " is gone): someone else is editing it");
        } catch (SdkException failure) {
            throw AwsErrors.translate("Lambda UpdateAlias", failure);
        }
        TrafficWeights applied = weights(plan, alias(plan));
        if (applied.canaryPercent() != canaryPercent) {
            throw new TargetStateConflictException("asked alias " + plan.alias() + " for "
                    + TrafficWeights.canaryAt(canaryPercent) + " but it reads back " + applied);
        }
        return applied;
    }

    private GetAliasResponse alias(LambdaAliasPlan plan) {
        return call(
                "Lambda GetAlias",
                () -> lambda.getAlias(
                        get -> get.functionName(plan.functionName()).name(plan.alias())));
    }

    /** Reads the alias as a split between the plan's two versions; any other shape was set by someone else. */
    public static TrafficWeights weights(LambdaAliasPlan plan, GetAliasResponse alias) {
        Map<String, Double> routing =
                alias.routingConfig() == null ? Map.of() : alias.routingConfig().additionalVersionWeights();
        String served = alias.functionVersion();
        String seen = "alias " + plan.alias() + " serves version " + served
                + (routing.isEmpty() ? "" : " with routing " + routing);
        if (served.equals(plan.canaryVersion()) && routing.isEmpty()) {
            return TrafficWeights.canaryAt(100);
        }
        if (!served.equals(plan.baselineVersion())) {
            throw new TargetStateConflictException(
                    seen + ", but this release moves traffic between versions " + plan.baselineVersion()
                            + " (live) and " + plan.canaryVersion() + ": someone changed the alias by hand");
        }
        if (routing.isEmpty()) {
            return TrafficWeights.canaryAt(0);
        }
        Double weight = routing.get(plan.canaryVersion());
        if (routing.size() != 1 || weight == null) {
            throw new TargetStateConflictException(seen + ", but this release weights only version "
                    + plan.canaryVersion() + ": someone changed the alias by hand");
        }
        long percent = Math.round(weight * 100);
        if (Math.abs(weight - percent / 100.0) > WEIGHT_TOLERANCE) {
            throw new TargetStateConflictException(
                    seen + ": " + weight + " is not a whole percent, so Tollgate did not set it");
        }
        return TrafficWeights.canaryAt((int) percent);
    }

    private static String requireCanary(LambdaAliasPlan plan) {
        if (plan.canaryVersion() == null) {
            throw new TargetStateConflictException(
                    "the release of " + plan.functionName() + " has no version yet: its canary was never deployed");
        }
        return plan.canaryVersion();
    }

    private static LambdaAliasPlan lambdaAlias(ReleasePlan plan) {
        if (plan instanceof LambdaAliasPlan lambdaAlias) {
            return lambdaAlias;
        }
        throw new TargetStateConflictException(
                "the deployment's record holds a " + plan.getClass().getSimpleName()
                        + ", not a LAMBDA_ALIAS plan: the target type changed during the deployment");
    }
}
