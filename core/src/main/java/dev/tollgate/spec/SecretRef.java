package dev.tollgate.spec;

import java.util.List;

/**
 * A Secrets Manager secret the release needs, by name or ARN, with the JSON keys its value must
 * hold. Only the key names are ever checked or reported, never the values.
 */
public record SecretRef(String id, List<String> requiredKeys) {
    public SecretRef {
        requiredKeys = requiredKeys == null ? List.of() : List.copyOf(requiredKeys);
    }
}
