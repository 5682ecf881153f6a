package dev.tollgate.secrets;

import dev.tollgate.aws.Placed;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SecretRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pins every secret a release needs to the version that is current now, after checking that the
 * secret exists, is not being deleted or rotated, and holds the JSON keys the spec requires. Later
 * states read exactly that version by id, so a rotation during the rollout cannot change what the
 * release was checked against. Only names, ARNs, version ids and key names leave this class.
 */
public final class SecretPinningService {

    private final Placed<SecretResolver> resolvers;

    public SecretPinningService(SecretResolver resolver) {
        this(Placed.everywhere(resolver));
    }

    /** With each deployment's secrets read where its target runs (its region, its account). */
    public SecretPinningService(Placed<SecretResolver> resolvers) {
        this.resolvers = resolvers;
    }

    /** The deployment's secrets, read where its target runs. */
    public PinnedSecrets pin(DeploymentSpec spec) {
        return pin(resolvers.at(spec), spec.secrets());
    }

    /** For a service built on one resolver, which needs no deployment to say where it reads. */
    public PinnedSecrets pin(List<SecretRef> secrets) {
        return pin(resolvers.at(null), secrets);
    }

    private static PinnedSecrets pin(SecretResolver resolver, List<SecretRef> secrets) {
        List<PinnedSecret> pinned = new ArrayList<>();
        for (SecretRef secret : secrets) {
            pinned.add(pin(resolver, secret));
        }
        return new PinnedSecrets(pinned);
    }

    private static PinnedSecret pin(SecretResolver resolver, SecretRef ref) {
        SecretMetadata metadata = resolver.describe(ref.id());
        if (metadata.scheduledForDeletion()) {
            throw new SecretNotFoundException("secret '" + ref.id() + "' is scheduled for deletion (since "
                    + metadata.deletedDate() + "); restore it with RestoreSecret or point the spec at another secret");
        }
        Optional<String> pending = metadata.rotationPendingVersion();
        if (pending.isPresent()) {
            throw new SecretRotationInProgressException("secret '" + ref.id() + "' is being rotated: version "
                    + pending.get() + " is AWSPENDING and not yet AWSCURRENT; waiting for the rotation to finish");
        }
        String version = metadata.currentVersion()
                .orElseThrow(() -> new SecretNotFoundException("secret '" + ref.id() + "' has no AWSCURRENT version"));
        return new PinnedSecret(
                ref.id(),
                metadata.name(),
                metadata.arn(),
                version,
                List.copyOf(checkedKeys(ref, version, resolver.value(metadata.arn(), version))));
    }

    /** The value's key names, after checking it is a JSON object holding every required key. */
    static List<String> checkedKeys(SecretRef ref, String version, SecretValue value) {
        Optional<Map<String, String>> fields = value.fields();
        if (fields.isEmpty()) {
            throw new SecretInvalidException("secret '" + ref.id() + "' (version " + version
                    + ") is not a JSON object of key/value pairs; Tollgate needs keys " + ref.requiredKeys());
        }
        List<String> missing = ref.requiredKeys().stream()
                .filter(key -> !fields.get().containsKey(key))
                .toList();
        if (!missing.isEmpty()) {
            throw new SecretInvalidException("secret '" + ref.id() + "' (version " + version + ") lacks required key"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + "; it has "
                    + String.join(", ", fields.get().keySet()));
        }
        return List.copyOf(fields.get().keySet());
    }
}
