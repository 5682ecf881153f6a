package dev.tollgate.spec;

import static dev.tollgate.spec.SpecFixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A single deployment's target in another region or account: {@code region} and {@code roleArn}, as a wave target's. */
class PlacementSpecTest {

    private final SpecValidator validator = new SpecValidator();

    private static Violation violationAt(ObjectNode spec, String path) {
        List<Violation> violations = SpecFixtures.violations(spec);
        return violations.stream()
                .filter(violation -> violation.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + " in " + violations));
    }

    @Test
    void aSpecWithoutPlacementActsInTheFunctionsOwnRegionAndAccount() {
        DeploymentSpec spec = validator.validate(SpecFixtures.minimal());

        assertNull(spec.region());
        assertNull(spec.roleArn());
        assertTrue(!Json.MAPPER.valueToTree(spec).has("region"), "nothing written for an absent placement");
    }

    @Test
    void keepsTheRegionAndRoleAndNormalisesToItself() {
        ObjectNode written = set(
                set(SpecFixtures.minimal(), "$.region", "\"eu-west-1\""),
                "$.roleArn",
                "\"arn:aws:iam::210987654321:role/tollgate/deployer\"");
        DeploymentSpec spec = validator.validate(written);

        assertEquals("eu-west-1", spec.region());
        assertEquals("arn:aws:iam::210987654321:role/tollgate/deployer", spec.roleArn());
        assertEquals(spec, validator.validate(Json.MAPPER.valueToTree(spec)));
    }

    @Test
    void aRoleWithoutARegionIsAnotherAccountInTheFunctionsOwnRegion() {
        DeploymentSpec spec = validator.validate(
                set(SpecFixtures.minimal(), "$.roleArn", "\"arn:aws:iam::210987654321:role/deployer\""));

        assertNull(spec.region());
        assertEquals("arn:aws:iam::210987654321:role/deployer", spec.roleArn());
    }

    @Test
    void refusesARegionAwsDoesNotRun() {
        Violation violation = violationAt(set(SpecFixtures.minimal(), "$.region", "\"eu-west-9\""), "$.region");

        assertEquals("'eu-west-9' is not a region AWS runs", violation.problem());
    }

    @Test
    void refusesARoleArnThatIsNotAnIamRole() {
        for (String notARole : List.of(
                "arn:aws:iam::210987654321:user/deployer", "arn:aws:iam::21098765432:role/deployer", "deployer")) {
            Violation violation =
                    violationAt(set(SpecFixtures.minimal(), "$.roleArn", Json.write(notARole)), "$.roleArn");
            assertTrue(violation.problem().endsWith("is not an IAM role ARN"), violation.toString());
        }
    }

    @Test
    void refusesARoleOfAnotherPartitionThanItsRegion() {
        ObjectNode spec = set(
                set(SpecFixtures.minimal(), "$.region", "\"eu-west-1\""),
                "$.roleArn",
                "\"arn:aws-us-gov:iam::210987654321:role/deployer\"");

        Violation violation = violationAt(spec, "$.roleArn");

        assertTrue(
                violation.problem().contains("aws-us-gov partition, the region eu-west-1 in aws"),
                violation.toString());
    }

    @Test
    void refusesATargetWhoseArnsNameAnotherRegion() {
        Violation violation =
                violationAt(set(SpecFixtures.minimal(), "$.region", "\"eu-central-1\""), "$.target.listenerArn");

        assertEquals("names the region eu-west-1, but the target is in eu-central-1", violation.problem());
    }

    @Test
    void aWaveTargetsChildSpecCarriesItsRegionAndRole() {
        ReleaseSpec release = new ReleaseValidator().validate(SpecFixtures.load("release-three-regions.json"));

        for (ReleaseSpec.WaveTarget target : release.targets()) {
            assertEquals(target.region(), target.spec().region());
            assertEquals(target.roleArn(), target.spec().roleArn());
        }
        assertEquals(
                "arn:aws:iam::210987654321:role/tollgate/deployer",
                release.waves().get(1).targets().get(0).spec().roleArn());
    }
}
