package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.TargetClients;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The clients a function builds for a deployment's target: in the target's region, and with a role named, signed
 * by that role as STS (here moto) hands it out. Moto records nothing of who called an API, but it answers
 * GetCallerIdentity from the access key that signed the request: the assumed role's session, or the caller's own.
 */
class TargetClientsIT {

    private static final String ROLE = "arn:aws:iam::210987654321:role/tollgate/deployer";

    private final AwsClients home = SharedLocalStack.get().clients();

    private static DeploymentSpec spec(String deploymentId, String region, String roleArn) {
        ObjectNode spec = DemoSpecs.lambdaAlias(
                deploymentId, new LambdaAliasFixture("placed", "placed-function", "live", "1"), "placed-alarm");
        if (region != null) {
            spec.put("region", region);
        }
        if (roleArn != null) {
            spec.put("roleArn", roleArn);
        }
        return new SpecValidator().validate(spec);
    }

    @Test
    void aSpecWithoutPlacementGetsTheFunctionsOwnRegionAndIdentity() {
        TargetClients targets = new TargetClients(home);

        CloudWatchClient cloudWatch = targets.build(CloudWatchClient.builder(), spec("placed-home", null, null));
        String caller = targets.build(StsClient.builder(), spec("placed-home", null, null))
                .getCallerIdentity()
                .arn();

        assertEquals(
                Region.of(LocalStack.REGION),
                cloudWatch.serviceClientConfiguration().region());
        assertEquals(home.build(StsClient.builder()).getCallerIdentity().arn(), caller);
    }

    @Test
    void anotherRegionsTargetIsReachedInThatRegionWithTheFunctionsOwnIdentity() {
        TargetClients targets = new TargetClients(home);

        CloudWatchClient cloudWatch =
                targets.build(CloudWatchClient.builder(), spec("placed-region", "eu-west-2", null));
        String caller = targets.build(StsClient.builder(), spec("placed-region", "eu-west-2", null))
                .getCallerIdentity()
                .arn();

        assertEquals(Region.EU_WEST_2, cloudWatch.serviceClientConfiguration().region());
        assertEquals(home.build(StsClient.builder()).getCallerIdentity().arn(), caller);
    }

    @Test
    void anotherAccountsTargetIsActedOnAsTheAssumedRoleInASessionNamedForTheDeployment() {
        TargetClients targets = new TargetClients(home);
        DeploymentSpec spec = spec("placed-account", "eu-west-2", ROLE);

        var identity = targets.build(StsClient.builder(), spec).getCallerIdentity();

        assertEquals("210987654321", identity.account());
        assertEquals("arn:aws:sts::210987654321:assumed-role/deployer/tollgate-placed-account", identity.arn());
        assertEquals(
                Region.EU_WEST_2,
                targets.build(CloudWatchClient.builder(), spec)
                        .serviceClientConfiguration()
                        .region());
    }

    @Test
    void clientsAreKeptPerRegionRoleAndDeployment() {
        TargetClients targets = new TargetClients(home);
        DeploymentSpec first = spec("placed-first", "eu-west-2", ROLE);

        CloudWatchClient once = targets.build(CloudWatchClient.builder(), first);

        assertSame(once, targets.build(CloudWatchClient.builder(), spec("placed-first", "eu-west-2", ROLE)));
        assertNotSame(once, targets.build(CloudWatchClient.builder(), spec("placed-second", "eu-west-2", ROLE)));
        assertNotSame(once, targets.build(CloudWatchClient.builder(), spec("placed-first", "eu-west-1", ROLE)));
        assertTrue(
                targets.build(StsClient.builder(), spec("placed-second", "eu-west-2", ROLE))
                        .getCallerIdentity()
                        .arn()
                        .endsWith("/tollgate-placed-second"),
                "each deployment's own session");
    }
}
