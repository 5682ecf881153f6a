package dev.tollgate.spec;

import java.util.List;

/** A Secrets Manager secret the release needs, by name or ARN, with the JSON keys it must hold. */
public record SecretRef(String id, List<String> requiredKeys) {
    public SecretRef {
        requiredKeys = requiredKeys == null ? List.of() : List.copyOf(requiredKeys);
    }
}
