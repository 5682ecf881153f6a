package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A target away from Tollgate on the local stack's one moto: another region and, through a role, another account (moto
 * keeps an account per access key, and STS AssumeRole hands out keys of the role's account). The fixtures build the
 * target there with the role's credentials, as a team's own pipeline would; the spec names the same region and role
 * for Tollgate's functions to assume.
 */
public record Placement(String region, String roleArn) {

    /** Role names the local stack's template parameter {@code TargetRoleArns} lets the functions assume. */
    public static final String ROLE_PREFIX = "tollgate-target-";

    /** A role named {@code tollgate-target-<name>} in {@code account}, acting in {@code region}. */
    public static Placement of(String region, String account, String name) {
        return new Placement(region, "arn:aws:iam::" + account + ":role/" + ROLE_PREFIX + name);
    }

    public String account() {
        return roleArn.split(":")[4];
    }

    /** The spec's fields that place its target here. */
    public ObjectNode applyTo(ObjectNode spec) {
        spec.put("region", region);
        spec.put("roleArn", roleArn);
        return spec;
    }

    /** The role's credentials, assumed from the local stack's own account once: a fixture's life is shorter than theirs. */
    AwsCredentialsProvider credentials(AwsClients home) {
        try (StsClient sts = home.build(StsClient.builder())) {
            Credentials assumed = sts.assumeRole(
                            assume -> assume.roleArn(roleArn).roleSessionName("tollgate-local-fixtures"))
                    .credentials();
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken()));
        }
    }
}
