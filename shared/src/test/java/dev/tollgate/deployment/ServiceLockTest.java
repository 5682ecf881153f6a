package dev.tollgate.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import org.junit.jupiter.api.Test;

/** One lock per service where it runs: the service's name at home, the place named elsewhere, never two names for one place. */
class ServiceLockTest {

    private static final String HOME_REGION = "us-east-1";
    private static final String HOME_ACCOUNT = "123456789012";

    /** The sample spec (service "checkout-api"), placed by its region and role; null leaves a field out. */
    private static DeploymentSpec placed(String region, String roleArn) {
        DeploymentSpec spec =
                new SpecValidator().validate(Json.tree(SampleEvents.read("statemachine-lambda-alias.json")));
        return new DeploymentSpec(
                spec.deploymentId(),
                spec.service(),
                spec.target(),
                spec.secrets(),
                spec.migrations(),
                spec.steps(),
                spec.analysis(),
                spec.override(),
                spec.afterPromotion(),
                spec.smokeTest(),
                region,
                roleArn);
    }

    private static String role(String account) {
        return "arn:aws:iam::" + account + ":role/tollgate-target-deployer";
    }

    @Test
    void atHomeTheLockIsTheServicesNameAsItAlwaysWas() {
        assertEquals("checkout-api", ServiceLock.name(placed(null, null), HOME_REGION, HOME_ACCOUNT));
        assertEquals(
                "checkout-api",
                ServiceLock.name(placed(HOME_REGION, null), HOME_REGION, HOME_ACCOUNT),
                "the home region written out");
        assertEquals(
                "checkout-api",
                ServiceLock.name(placed(null, role(HOME_ACCOUNT)), HOME_REGION, HOME_ACCOUNT),
                "a role at home");
    }

    @Test
    void elsewhereTheLockNamesThePlace() {
        assertEquals(
                "checkout-api@eu-west-1",
                ServiceLock.name(placed("eu-west-1", role(HOME_ACCOUNT)), HOME_REGION, HOME_ACCOUNT));
        assertEquals(
                "checkout-api@us-east-1/210987654321",
                ServiceLock.name(placed(null, role("210987654321")), HOME_REGION, HOME_ACCOUNT));
        assertEquals(
                "checkout-api@eu-west-1/210987654321",
                ServiceLock.name(placed("eu-west-1", role("210987654321")), HOME_REGION, HOME_ACCOUNT));
    }

    @Test
    void aRoleNamesItsAccountWhenTheFunctionCannotTellItsOwn() {
        assertEquals(
                "checkout-api@us-east-1/" + HOME_ACCOUNT,
                ServiceLock.name(placed(null, role(HOME_ACCOUNT)), HOME_REGION, null));
    }

    @Test
    void readsTheAccountOfAnArn() {
        assertEquals("210987654321", ServiceLock.accountOf(role("210987654321")));
        assertEquals(
                "123456789012",
                ServiceLock.accountOf("arn:aws:lambda:us-east-1:123456789012:function:ValidateRequest"));
        assertNull(ServiceLock.accountOf("arn:aws:s3:::bucket"));
    }
}
