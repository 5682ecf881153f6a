package dev.tollgate.traffic.lambda;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.errors.RetryableException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.traffic.CanaryHealth;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;

/**
 * What the Lambda-based backends (LAMBDA_ALIAS, and CODEDEPLOY on Lambda) share: reading the
 * alias at rest, publishing or finding the release's version, and asking whether it is ready.
 */
public final class LambdaVersions {

    private final LambdaClient lambda;
    private final LambdaSecretPins pins;

    public LambdaVersions(LambdaClient lambda) {
        this.lambda = lambda;
        this.pins = new LambdaSecretPins(lambda);
    }

    /** The version the alias serves, which must be a published version with no traffic weighted elsewhere. */
    public String baselineAtRest(String functionName, String aliasName) {
        var alias = call(
                "Lambda GetAlias",
                () -> lambda.getAlias(get -> get.functionName(functionName).name(aliasName)));
        if (alias.routingConfig() != null
                && !alias.routingConfig().additionalVersionWeights().isEmpty()) {
            throw new TargetStateConflictException("alias " + aliasName + " of " + functionName + " already routes "
                    + alias.routingConfig().additionalVersionWeights() + " beside version " + alias.functionVersion()
                    + ": a release is in flight or someone weighted it by hand. A new release starts from an alias with no "
                    + "routing configuration; finish or roll back the deployment that set it, or clear it by hand");
        }
        if ("$LATEST".equals(alias.functionVersion())) {
            throw new TargetStateConflictException("alias " + aliasName + " of " + functionName + " points at $LATEST; "
                    + "weighted routing needs published versions, so point the alias at a published version first");
        }
        return alias.functionVersion();
    }

    /**
     * The release's version: the one the spec names (which must exist), or $LATEST published now.
     * Publishing is safe to repeat: Lambda answers with the latest version when nothing changed since.
     * With secrets pinned, a version Tollgate publishes carries them in its environment (see
     * {@link LambdaSecretPins}); a version the spec names was published before and cannot.
     */
    public LambdaRelease release(
            String functionName,
            String namedVersion,
            String codeSha256,
            String baselineVersion,
            String deploymentId,
            PinnedSecrets secrets) {
        String version;
        String secretsNote;
        if (namedVersion != null) {
            GetFunctionConfigurationResponse named = call(
                    "Lambda GetFunctionConfiguration",
                    () -> lambda.getFunctionConfiguration(
                            get -> get.functionName(functionName).qualifier(namedVersion)));
            version = named.version();
            secretsNote = pins.describeNamed(named, secrets);
        } else if (secrets.secrets().isEmpty()) {
            version = publish(functionName, codeSha256, deploymentId, null);
            secretsNote = "";
        } else {
            String revision = pins.pinOnLatest(functionName, secrets);
            version = publish(functionName, codeSha256, deploymentId, revision);
            secretsNote = pins.describePublished(version, secrets) + pins.restoreLatest(functionName);
        }
        if (version.equals(baselineVersion)) {
            throw new TargetStateConflictException(
                    "version " + version + " of " + functionName + " is the one the alias already "
                            + "serves: there is nothing new to release"
                            + (namedVersion == null
                                    ? " ($LATEST has not changed since that version was published; update the function's code or configuration first)"
                                    : ""));
        }
        return new LambdaRelease(version, secretsNote);
    }

    /** {@code revision} (when known) makes Lambda refuse to publish a $LATEST someone changed since Tollgate read it. */
    private String publish(String functionName, String codeSha256, String deploymentId, String revision) {
        try {
            PublishVersionResponse published = lambda.publishVersion(publish -> publish.functionName(functionName)
                    .codeSha256(codeSha256)
                    .revisionId(revision)
                    .description("Tollgate deployment " + deploymentId));
            return published.version();
        } catch (PreconditionFailedException changed) {
            throw new TargetStateConflictException(
                    "$LATEST of " + functionName + " changed while Tollgate was publishing it (revision " + revision
                            + " is gone): someone else is updating the function");
        } catch (ResourceConflictException updating) {
            // https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html: no publishing while an update runs.
            throw new RetryableException(
                    "$LATEST of " + functionName + " is being updated; publishing once the update is done");
        } catch (SdkException failure) {
            throw AwsErrors.translate("Lambda PublishVersion", failure);
        }
    }

    /** The release's version and what was done about its secrets (empty when the spec has none). */
    public record LambdaRelease(String version, String secretsNote) {}

    /** Ready once Lambda reports the version Active with its last update successful (SnapStart and image functions take a while). */
    CanaryHealth health(String functionName, String version) {
        GetFunctionConfigurationResponse configuration = call(
                "Lambda GetFunctionConfiguration",
                () -> lambda.getFunctionConfiguration(
                        get -> get.functionName(functionName).qualifier(version)));
        String state = configuration.stateAsString();
        String update = configuration.lastUpdateStatusAsString();
        String seen = "version " + version + " of " + functionName + " is " + (state == null ? "Active" : state)
                + (update == null ? "" : ", last update " + update);
        if ("Failed".equals(state) || "Failed".equals(update)) {
            throw new CanaryUnhealthyException(seen + ": "
                    + (configuration.stateReason() != null
                            ? configuration.stateReason()
                            : configuration.lastUpdateStatusReason()));
        }
        boolean ready = (state == null || "Active".equals(state)) && (update == null || "Successful".equals(update));
        return new CanaryHealth(ready, seen);
    }
}
