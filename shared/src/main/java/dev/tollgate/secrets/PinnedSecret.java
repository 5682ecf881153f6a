package dev.tollgate.secrets;

import java.util.List;

/**
 * A secret as the deployment uses it: the spec's {@code id}, the secret's name and ARN, the exact
 * version pinned ({@code versionId}, the AWSCURRENT one when it was fetched) and the names of the
 * JSON keys it holds. No value: this record travels in the state machine's state.
 */
public record PinnedSecret(String id, String name, String arn, String versionId, List<String> keys) {
    public PinnedSecret {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }
}
