package dev.tollgate.traffic.lambda;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.errors.RetryableException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.json.Json;
import dev.tollgate.secrets.PinnedSecret;
import dev.tollgate.secrets.PinnedSecrets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationResponse;

/**
 * Carries the pinned secret versions into a Lambda release. A published version's environment is
 * immutable, so the pins can only be written before publishing: on $LATEST, as the environment
 * variable {@value #VARIABLE} (a JSON object from each spec secret id to its pinned version id),
 * published with it, then removed from $LATEST again so that the function's own configuration
 * is left as its owner set it. The function reads its secrets by those version ids
 * ({@code GetSecretValue} with {@code VersionId}, or the Parameters and Secrets Lambda Extension's
 * {@code versionId}). A version the spec names was published before the deployment and keeps
 * whatever its environment says; that is reported, not changed.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html">Lambda versions</a>
 * @see <a href="https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html">Parameters and Secrets Lambda Extension</a>
 */
final class LambdaSecretPins {

    /** The environment variable naming, per secret id of the spec, the version id the release reads. */
    static final String VARIABLE = "TOLLGATE_SECRET_VERSIONS";

    private final LambdaClient lambda;

    LambdaSecretPins(LambdaClient lambda) {
        this.lambda = lambda;
    }

    /** The variable's value: {@code {"prod/checkout/db": "a1b2c3d4-..."}}, ids and version ids only. */
    static String value(PinnedSecrets secrets) {
        Map<String, String> versions = new TreeMap<>();
        secrets.secrets().forEach(secret -> versions.put(secret.id(), secret.versionId()));
        return Json.write(versions);
    }

    /**
     * Puts the pins into $LATEST's environment (other variables untouched) and returns the revision
     * to publish, once $LATEST is ready to publish. An update still in progress (Lambda applies
     * configuration asynchronously) is a {@link RetryableException}: the state machine tries again,
     * and the next attempt finds the pins already there.
     */
    String pinOnLatest(String functionName, PinnedSecrets secrets) {
        GetFunctionConfigurationResponse latest = latest(functionName);
        requireSettled(functionName, latest.lastUpdateStatusAsString());
        Map<String, String> variables = variables(latest);
        String wanted = value(secrets);
        if (wanted.equals(variables.get(VARIABLE))) {
            return latest.revisionId();
        }
        variables.put(VARIABLE, wanted);
        UpdateFunctionConfigurationResponse updated =
                update(functionName, variables, latest.revisionId(), "pinning secret versions on");
        requireSettled(functionName, updated.lastUpdateStatusAsString());
        return updated.revisionId();
    }

    /**
     * Takes the pins off $LATEST again once the version carrying them is published. Best effort: a
     * $LATEST that is busy or was changed meanwhile keeps the variable, and the note says so.
     */
    String restoreLatest(String functionName) {
        try {
            GetFunctionConfigurationResponse latest = latest(functionName);
            Map<String, String> variables = variables(latest);
            if (variables.remove(VARIABLE) == null) {
                return "; $LATEST's environment is as its owner left it";
            }
            update(functionName, variables, latest.revisionId(), "restoring the environment of");
            return "; " + VARIABLE + " removed from $LATEST again";
        } catch (RuntimeException busyOrChanged) {
            return "; " + VARIABLE + " stays on $LATEST (" + busyOrChanged.getMessage()
                    + "): harmless, the next deployment replaces it";
        }
    }

    String describePublished(String version, PinnedSecrets secrets) {
        return "secrets pinned in version " + version + "'s environment (" + VARIABLE + "): " + listed(secrets);
    }

    /** What a version the spec names does about the pins: it was published before and its environment cannot change. */
    String describeNamed(GetFunctionConfigurationResponse version, PinnedSecrets secrets) {
        if (secrets.secrets().isEmpty()) {
            return "";
        }
        if (value(secrets).equals(variables(version).get(VARIABLE))) {
            return "secrets pinned in version " + version.version() + "'s environment (" + VARIABLE + "): "
                    + listed(secrets);
        }
        return "WARNING: secrets not pinned: version " + version.version()
                + " was published before this deployment and a published "
                + "version's environment cannot change, so it reads whatever version of "
                + secrets.secrets().stream().map(PinnedSecret::id).collect(Collectors.joining(", "))
                + " is current when an instance starts, not necessarily "
                + "the one FetchSecrets checked (" + listed(secrets)
                + "). Leave target.version out to let Tollgate publish the release "
                + "with the pins";
    }

    private static String listed(PinnedSecrets secrets) {
        return secrets.secrets().stream()
                .map(secret -> secret.id() + " version " + secret.versionId())
                .collect(Collectors.joining(", "));
    }

    private GetFunctionConfigurationResponse latest(String functionName) {
        return call(
                "Lambda GetFunctionConfiguration",
                () -> lambda.getFunctionConfiguration(get -> get.functionName(functionName)));
    }

    private static Map<String, String> variables(GetFunctionConfigurationResponse configuration) {
        return configuration.environment() == null
                        || configuration.environment().variables() == null
                ? new TreeMap<>()
                : new TreeMap<>(configuration.environment().variables());
    }

    /** Sets $LATEST's whole environment, guarded by the revision just read, so a concurrent edit is refused rather than lost. */
    private UpdateFunctionConfigurationResponse update(
            String functionName, Map<String, String> variables, String revision, String what) {
        try {
            return lambda.updateFunctionConfiguration(update -> update.functionName(functionName)
                    .revisionId(revision)
                    .environment(environment -> environment.variables(variables)));
        } catch (PreconditionFailedException changed) {
            throw new TargetStateConflictException("$LATEST of " + functionName + " changed while Tollgate was " + what
                    + " it (revision " + revision + " is gone): someone else is updating the function");
        } catch (ResourceConflictException updating) {
            throw new RetryableException(
                    "$LATEST of " + functionName + " is being updated; " + what + " it once the update is done");
        } catch (SdkException failure) {
            throw AwsErrors.translate("Lambda UpdateFunctionConfiguration (" + what + " $LATEST)", failure);
        }
    }

    /** Lambda applies configuration asynchronously; publishing or updating again waits for {@code Successful}. */
    private static void requireSettled(String functionName, String lastUpdateStatus) {
        if ("InProgress".equals(lastUpdateStatus)) {
            throw new RetryableException(
                    "$LATEST of " + functionName + " is being updated (LastUpdateStatus InProgress); trying again");
        }
        if ("Failed".equals(lastUpdateStatus)) {
            throw new TargetStateConflictException("the last update of $LATEST of " + functionName
                    + " failed; fix the function's " + "configuration before releasing it");
        }
    }
}
