package dev.tollgate.secrets;

import java.util.Optional;

/**
 * Reads an ECS container's {@code secrets[].valueFrom} and pins it to the version FetchSecrets
 * checked. ECS accepts a Secrets Manager secret as its name (same account and region, whole value
 * only), its ARN, or its ARN without the random six-character suffix, optionally followed by
 * {@code :json-key:version-stage:version-id}; a pinned reference is always the full ARN with the
 * version id and no stage ({@code arn:...:secret:name-AbCdEf:json-key::version-id}), since ECS
 * allows one of the two. A reference the pin cannot honestly replace is left as it is, with why.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html">Secrets Manager secrets in ECS environment variables</a>
 */
public final class SecretReferences {

    private SecretReferences() {}

    /**
     * What pinning one reference gave: {@code valueFrom} to use, the pinned secret it names (empty
     * when it names none of them) and, when left as it was, why.
     */
    public record Pinning(String valueFrom, Optional<PinnedSecret> secret, Optional<String> leftBecause) {

        /** True when {@code valueFrom} now names the pinned version (it may have named it already). */
        public boolean pinned() {
            return secret.isPresent() && leftBecause.isEmpty();
        }
    }

    public static Pinning pin(String valueFrom, PinnedSecrets secrets) {
        for (PinnedSecret secret : secrets.secrets()) {
            Optional<String> rest = rest(valueFrom, secret);
            if (rest.isEmpty()) {
                continue;
            }
            String[] parts = rest.get().split(":", -1);
            String jsonKey = parts.length > 0 ? parts[0] : "";
            String stage = parts.length > 1 ? parts[1] : "";
            String version = parts.length > 2 ? parts[2] : "";
            if (parts.length > 3) {
                return left(valueFrom, secret, "has more parts than json-key:version-stage:version-id");
            }
            if (!version.isEmpty() && !version.equals(secret.versionId())) {
                return left(
                        valueFrom,
                        secret,
                        "names version " + version + " itself, not the pinned " + secret.versionId());
            }
            if (!stage.isEmpty() && !SecretMetadata.CURRENT.equals(stage)) {
                return left(
                        valueFrom,
                        secret,
                        "reads the version labelled " + stage + ", not the AWSCURRENT one FetchSecrets checked");
            }
            return new Pinning(
                    secret.arn() + ":" + jsonKey + "::" + secret.versionId(), Optional.of(secret), Optional.empty());
        }
        String kind = valueFrom.startsWith("arn:") && valueFrom.contains(":ssm:")
                ? "an SSM parameter"
                : "a secret not listed in $.secrets";
        return new Pinning(
                valueFrom, Optional.empty(), Optional.of(kind + ": it reads what is current when a task starts"));
    }

    /**
     * What follows the secret in {@code valueFrom} ({@code json-key:version-stage:version-id}, empty
     * for the whole secret), when {@code valueFrom} names {@code secret} by name, id, ARN or partial ARN.
     */
    private static Optional<String> rest(String valueFrom, PinnedSecret secret) {
        if (valueFrom.equals(secret.name()) || valueFrom.equals(secret.id())) {
            return Optional.of("");
        }
        String arn = secret.arn();
        // Secrets Manager ARNs end in "-" and six random characters; ECS also accepts the ARN without them.
        String partial = arn.matches(".*-[A-Za-z0-9]{6}$") ? arn.substring(0, arn.length() - 7) : arn;
        for (String prefix : new String[] {arn, partial}) {
            if (valueFrom.equals(prefix)) {
                return Optional.of("");
            }
            if (valueFrom.startsWith(prefix + ":")) {
                return Optional.of(valueFrom.substring(prefix.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static Pinning left(String valueFrom, PinnedSecret secret, String because) {
        return new Pinning(valueFrom, Optional.of(secret), Optional.of(because));
    }
}
