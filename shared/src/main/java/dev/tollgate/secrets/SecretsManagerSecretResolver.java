package dev.tollgate.secrets;

import dev.tollgate.aws.AwsErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * {@link SecretResolver} on AWS Secrets Manager. Error messages carry the secret's id and the AWS
 * error code, never a request or response body (the SDK redacts {@code SecretString} in its own
 * {@code toString} too).
 */
public final class SecretsManagerSecretResolver implements SecretResolver {

    private final SecretsManagerClient secretsManager;

    public SecretsManagerSecretResolver(SecretsManagerClient secretsManager) {
        this.secretsManager = secretsManager;
    }

    @Override
    public SecretMetadata describe(String secretId) {
        DescribeSecretResponse secret;
        try {
            secret = secretsManager.describeSecret(describe -> describe.secretId(secretId));
        } catch (ResourceNotFoundException missing) {
            throw new SecretNotFoundException("secret '" + secretId + "' does not exist in this account and region");
        } catch (SdkException failure) {
            throw AwsErrors.translate("secretsmanager:DescribeSecret on '" + secretId + "'", failure);
        }
        Map<String, List<String>> stages = new LinkedHashMap<>();
        secret.versionIdsToStages().forEach(stages::put);
        return new SecretMetadata(secret.name(), secret.arn(), secret.deletedDate(), stages);
    }

    @Override
    public SecretValue value(String secretArn, String versionId) {
        GetSecretValueResponse value;
        try {
            value = secretsManager.getSecretValue(get -> get.secretId(secretArn).versionId(versionId));
        } catch (ResourceNotFoundException missing) {
            throw new SecretNotFoundException("version " + versionId + " of secret " + secretArn + " does not exist");
        } catch (InvalidRequestException refused) {
            // "You can't perform this operation on the secret because it was marked for deletion."
            // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors
            throw new SecretNotFoundException("secret " + secretArn + " cannot be read: "
                    + refused.awsErrorDetails().errorMessage());
        } catch (SdkException failure) {
            throw AwsErrors.translate("secretsmanager:GetSecretValue on " + secretArn, failure);
        }
        return new SecretValue(value.secretString());
    }
}
