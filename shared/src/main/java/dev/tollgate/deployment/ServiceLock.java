package dev.tollgate.deployment;

import dev.tollgate.json.Nullable;
import dev.tollgate.spec.DeploymentSpec;

/**
 * The name of the lock a deployment holds: one per service where it runs, so that one region's service has one lock
 * and one live version, and the same service elsewhere deploys at the same time. At home it is the service's name, as
 * it always was; placed away ({@code region}, {@code roleArn}) it names the place: {@code checkout@eu-west-1}, and
 * {@code checkout@eu-west-1/210987654321} in another account. A placement that names home (its region written out,
 * a role in Tollgate's own account) is home, so the same service is never locked under two names.
 */
public final class ServiceLock {

    private ServiceLock() {}

    /**
     * {@code homeAccount} null when the function cannot tell its own account: a role then always names its account,
     * which can only split a lock if the role is in Tollgate's own account and the region its own too.
     */
    public static String name(DeploymentSpec spec, String homeRegion, @Nullable String homeAccount) {
        String region = spec.region() == null || spec.region().equals(homeRegion) ? null : spec.region();
        String account = spec.roleArn() == null ? null : accountOf(spec.roleArn());
        if (account != null && account.equals(homeAccount)) {
            account = null;
        }
        if (region == null && account == null) {
            return spec.service();
        }
        return spec.service() + "@" + (region == null ? homeRegion : region) + (account == null ? "" : "/" + account);
    }

    /** The account of an ARN ({@code arn:partition:service:region:account:resource}), null when it has none. */
    public static String accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length > 4 && !parts[4].isEmpty() ? parts[4] : null;
    }
}
