package dev.tollgate.spec;

import static dev.tollgate.spec.SpecFixtures.set;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where functions running in one home region can act: another region through a role, CodeDeploy only at home. */
class PlacementReachTest {

    private static final String ROLE = "\"arn:aws:iam::210987654321:role/tollgate-target-eu\"";
    private static final String CODEDEPLOY = """
            {"type": "CODEDEPLOY", "application": "checkout-api", "deploymentGroup": "checkout-api-prod",
             "lambda": {"functionName": "checkout-api", "alias": "live", "version": "42"}}""";

    private final SpecValidator validator = new SpecValidator();

    /** The minimal ECS_ALB spec, whose ARNs name eu-west-1, placed there. */
    private DeploymentSpec inIreland(String roleArn) {
        ObjectNode spec = set(SpecFixtures.minimal(), "$.region", "\"eu-west-1\"");
        return validator.validate(roleArn == null ? spec : set(spec, "$.roleArn", roleArn));
    }

    private static List<Violation> refused(DeploymentSpec spec, String homeRegion) {
        return assertThrows(InvalidSpecException.class, () -> PlacementReach.check(spec, homeRegion))
                .violations();
    }

    @Test
    void theHomeRegionWrittenOutNeedsNoRole() {
        assertDoesNotThrow(() -> PlacementReach.check(inIreland(null), "eu-west-1"));
    }

    @Test
    void anotherRegionIsReachedThroughARole() {
        assertDoesNotThrow(() -> PlacementReach.check(inIreland(ROLE), "us-east-1"));
    }

    @Test
    void anotherRegionWithoutARoleIsRefusedAtItsField() {
        List<Violation> violations = refused(inIreland(null), "us-east-1");

        assertEquals(1, violations.size(), violations.toString());
        assertEquals("$.region", violations.get(0).path());
        assertEquals(
                "a target in eu-west-1 with no roleArn: Tollgate's own role acts in us-east-1 only",
                violations.get(0).problem());
    }

    @Test
    void aRoleAloneIsAnotherAccountInTheHomeRegion() {
        DeploymentSpec spec = validator.validate(set(SpecFixtures.minimal(), "$.roleArn", ROLE));

        assertDoesNotThrow(() -> PlacementReach.check(spec, "eu-west-1"));
    }

    @Test
    void aCodeDeployTargetStaysHome() {
        ObjectNode codeDeploy = set(SpecFixtures.minimal(), "$.target", CODEDEPLOY);
        assertDoesNotThrow(() ->
                PlacementReach.check(validator.validate(set(codeDeploy, "$.region", "\"us-east-1\"")), "us-east-1"));

        List<Violation> elsewhere = refused(
                validator.validate(set(set(codeDeploy, "$.region", "\"eu-west-1\""), "$.roleArn", ROLE)), "us-east-1");

        assertEquals(
                List.of("$.region", "$.roleArn"),
                elsewhere.stream().map(Violation::path).toList());
    }
}
