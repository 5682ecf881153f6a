package dev.tollgate.secrets;

/**
 * Reads Secrets Manager: a secret's metadata by name or ARN, and the value of one exact version.
 * Implementations translate "not found" and "scheduled for deletion" into
 * {@link SecretNotFoundException} and never put a value into a message.
 */
public interface SecretResolver {

    /** Name, ARN, deletion date and which version carries which staging label; no value. */
    SecretMetadata describe(String secretId);

    /** The value of exactly {@code versionId} of the secret {@code secretArn}. */
    SecretValue value(String secretArn, String versionId);
}
