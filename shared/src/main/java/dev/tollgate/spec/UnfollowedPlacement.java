package dev.tollgate.spec;

import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails closed while the functions do not yet act where a spec's {@code region} and {@code roleArn} place its target
 * (docs/spec.md, "Another region or account"): a placement they would ignore is refused by {@code ValidateRequest},
 * before any side effect, rather than deploying to Tollgate's own region and account instead. Goes when they follow it.
 */
public final class UnfollowedPlacement {

    private UnfollowedPlacement() {
    }

    /** Throws {@link InvalidSpecException} for a region other than {@code homeRegion} or any role. */
    public static void refuse(DeploymentSpec spec, String homeRegion) {
        List<Violation> violations = new ArrayList<>();
        if (spec.region() != null && !spec.region().equals(homeRegion)) {
            violations.add(new Violation("$.region", "a target in " + spec.region() + ": this build's functions act in "
                    + homeRegion + " only", "omit it, or " + homeRegion + " (docs/spec.md, \"Another region or account\")"));
        }
        if (spec.roleArn() != null) {
            violations.add(new Violation("$.roleArn", "a target in another account: this build's functions act with their own role"
                    + " only", "omit it (docs/spec.md, \"Another region or account\")"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
    }
}
