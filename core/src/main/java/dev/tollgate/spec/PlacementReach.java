package dev.tollgate.spec;

import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Tollgate's functions can act from their home region and account (docs/spec.md, "Another region or account"),
 * checked by {@code ValidateRequest} before any side effect, rather than failing with AccessDenied after the lock
 * is taken:
 * <ul>
 * <li>in another region only through a {@code roleArn}: the functions' own role is granted their home region only, and
 *     a role the team names (in this account or another) carries the grants where the target is;</li>
 * <li>a {@code CODEDEPLOY} target only at home: CodeDeploy calls a deployment's lifecycle hooks in its own region and
 *     account, and Tollgate's hook function, which holds each hook until the judge has spoken, runs at home.</li>
 * </ul>
 */
public final class PlacementReach {

    private PlacementReach() {}

    /** Throws {@link InvalidSpecException} listing every placement the functions in {@code homeRegion} cannot act at. */
    public static void check(DeploymentSpec spec, String homeRegion) {
        List<Violation> violations = new ArrayList<>();
        boolean awayFromHomeRegion = spec.region() != null && !spec.region().equals(homeRegion);
        if (spec.target() instanceof CodeDeployTarget) {
            String allowed =
                    "a CODEDEPLOY target in Tollgate's own region and account, ECS_ALB or LAMBDA_ALIAS away from it, or a"
                            + " Tollgate stack in the target's region and account (docs/spec.md, \"Another region or account\")";
            if (awayFromHomeRegion) {
                violations.add(new Violation(
                        "$.region",
                        "a CODEDEPLOY target in " + spec.region() + ": CodeDeploy calls its lifecycle"
                                + " hooks in its own region, and Tollgate's hook runs in " + homeRegion,
                        allowed));
            }
            if (spec.roleArn() != null) {
                violations.add(new Violation(
                        "$.roleArn",
                        "a CODEDEPLOY target in another account: CodeDeploy calls its lifecycle hooks"
                                + " in its own account, and Tollgate's hook runs in Tollgate's",
                        allowed));
            }
        } else if (awayFromHomeRegion && spec.roleArn() == null) {
            violations.add(new Violation(
                    "$.region",
                    "a target in " + spec.region() + " with no roleArn: Tollgate's own role acts in " + homeRegion
                            + " only",
                    "a roleArn for the functions to assume in " + spec.region() + " (in this account or another),"
                            + " or " + homeRegion + " (docs/spec.md, \"Another region or account\")"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
    }

    /** The reach rules for every target of a release, each problem at the target's own path ({@code $.waves[1].targets[0].region}). */
    public static void check(ReleaseSpec release, String homeRegion) {
        List<Violation> violations = new ArrayList<>();
        for (ReleaseSpec.Wave wave : release.waves()) {
            for (int index = 0; index < wave.targets().size(); index++) {
                try {
                    check(wave.targets().get(index).spec(), homeRegion);
                } catch (InvalidSpecException unreachable) {
                    String at = "$.waves[" + (wave.wave() - 1) + "].targets[" + index + "]";
                    unreachable
                            .violations()
                            .forEach(violation -> violations.add(new Violation(
                                    at + violation.path().substring(1), violation.problem(), violation.allowed())));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
    }
}
