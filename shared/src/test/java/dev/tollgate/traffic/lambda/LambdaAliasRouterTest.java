package dev.tollgate.traffic.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.errors.RetryableException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.fakes.FakeLambda;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.secrets.PinnedSecret;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.LambdaAliasTarget;
import dev.tollgate.traffic.CanaryDeployment;
import dev.tollgate.traffic.LambdaAliasPlan;
import dev.tollgate.traffic.ReleasePlan;
import dev.tollgate.traffic.TrafficOutcome;
import dev.tollgate.traffic.TrafficWeights;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Lambda alias backend on an in-memory Lambda: fractions read back with tolerance, and every refusal. */
class LambdaAliasRouterTest {

    private final DeploymentSpec spec = SampleEvents.spec("shift-traffic.json");
    private final FakeLambda lambda = new FakeLambda(41, "41");
    private final LambdaAliasRouter router =
            new LambdaAliasRouter(new LambdaAliasTarget("checkout-api", "live", null, null, 300), lambda);

    private ReleasePlan deployed() {
        return router.deployCanary(router.plan(spec), PinnedSecrets.NONE).plan();
    }

    @Test
    void publishesTheReleaseAtZeroPercentBesideTheVersionTheAliasServes() {
        CanaryDeployment deployment = router.deployCanary(router.plan(spec), PinnedSecrets.NONE);

        LambdaAliasPlan plan = (LambdaAliasPlan) deployment.plan();
        assertEquals("41", plan.baselineVersion());
        assertEquals("42", plan.canaryVersion());
        assertEquals("published version 42 of checkout-api at 0 % (alias live serves version 41)", deployment.detail());
        assertEquals(Map.of(), lambda.routing());
        assertTrue(router.canaryHealth(plan).healthy());
        assertEquals(Map.of("baselineVersion", "41", "canaryVersion", "42"), plan.releaseNames());
    }

    @Test
    void weightsTheAliasWithAFractionAndReadsItBackAsAPercent() {
        ReleasePlan plan = deployed();

        assertEquals(TrafficWeights.canaryAt(5), router.shift(plan, 5));
        assertEquals(Map.of("42", 0.05), lambda.routing());
        assertEquals("41", lambda.aliasVersion(), "the old version stays the alias's version until promotion");

        lambda.setAlias("41", Map.of("42", 0.0500004));
        assertEquals(
                TrafficWeights.canaryAt(5),
                router.currentWeights(plan),
                "float noise within the tolerance reads as 5 %");
    }

    @Test
    void promotesByPointingTheAliasAtTheReleaseWithNoRouting() {
        ReleasePlan plan = deployed();
        router.shift(plan, 50);

        TrafficOutcome outcome = router.promote(plan);

        assertEquals(TrafficWeights.canaryAt(100), outcome.weights());
        assertEquals("42", lambda.aliasVersion());
        assertEquals(Map.of(), lambda.routing());
        assertEquals(outcome, router.promote(plan), "promoting again changes nothing");
    }

    @Test
    void rollsBackFromAnyStateIncludingAfterAPromotion() {
        ReleasePlan plan = deployed();
        router.shift(plan, 25);
        router.promote(plan);

        assertEquals(TrafficWeights.canaryAt(0), router.rollback(plan).weights());
        assertEquals("41", lambda.aliasVersion());
        assertEquals(Map.of(), lambda.routing());

        lambda.setAlias("41", Map.of("42", 0.37));
        assertEquals(TrafficWeights.canaryAt(0), router.rollback(plan).weights(), "even from a weight set by hand");
    }

    @Test
    void rollsBackAPlanWhoseVersionWasNeverRecorded() {
        ReleasePlan planned = router.plan(spec);
        lambda.setAlias("41", Map.of("42", 0.1));

        assertEquals(TrafficWeights.canaryAt(0), router.rollback(planned).weights());
        assertEquals(Map.of(), lambda.routing());
    }

    @Test
    void refusesWeightsTollgateCannotHaveSet() {
        ReleasePlan plan = deployed();

        lambda.setAlias("41", Map.of("42", 0.073));
        TargetStateConflictException fraction =
                assertThrows(TargetStateConflictException.class, () -> router.currentWeights(plan));
        assertTrue(fraction.getMessage().contains("0.073 is not a whole percent"), fraction.getMessage());

        lambda.setAlias("41", Map.of("40", 0.1));
        TargetStateConflictException other =
                assertThrows(TargetStateConflictException.class, () -> router.currentWeights(plan));
        assertTrue(other.getMessage().contains("weights only version 42"), other.getMessage());

        lambda.setAlias("40", Map.of());
        TargetStateConflictException moved =
                assertThrows(TargetStateConflictException.class, () -> router.currentWeights(plan));
        assertTrue(moved.getMessage().contains("alias live serves version 40"), moved.getMessage());
    }

    @Test
    void refusesToStartOnAnAliasThatIsAlreadyWeighted() {
        lambda.setAlias("41", Map.of("40", 0.2));

        TargetStateConflictException conflict =
                assertThrows(TargetStateConflictException.class, () -> router.plan(spec));

        assertTrue(conflict.getMessage().contains("already routes {40=0.2} beside version 41"), conflict.getMessage());
    }

    @Test
    void refusesAReleaseThatIsTheLiveVersion() {
        FakeLambda unchanged = new FakeLambda(41, "41").unchangedSinceLastPublish();
        LambdaAliasRouter router =
                new LambdaAliasRouter(new LambdaAliasTarget("checkout-api", "live", null, null, 300), unchanged);

        TargetStateConflictException conflict = assertThrows(
                TargetStateConflictException.class, () -> router.deployCanary(router.plan(spec), PinnedSecrets.NONE));

        assertTrue(conflict.getMessage().contains("nothing new to release"), conflict.getMessage());
    }

    @Test
    void failsTheCanaryWhenLambdaReportsTheVersionFailed() {
        ReleasePlan plan = deployed();
        lambda.setState("42", "Failed");

        CanaryUnhealthyException failed = assertThrows(CanaryUnhealthyException.class, () -> router.canaryHealth(plan));

        assertTrue(failed.getMessage().contains("the image could not be pulled"), failed.getMessage());
        lambda.setState("42", "Pending");
        assertFalse(router.canaryHealth(plan).healthy());
    }

    @Test
    void refusesWhenTheAliasChangesBetweenReadAndWrite() {
        ReleasePlan plan = deployed();
        FakeLambda racing = new FakeLambda(42, "41") {
            private boolean raced;

            @Override
            public synchronized software.amazon.awssdk.services.lambda.model.GetAliasResponse getAlias(
                    software.amazon.awssdk.services.lambda.model.GetAliasRequest request) {
                var alias = super.getAlias(request);
                if (!raced) {
                    raced = true;
                    setAlias("41", Map.of());
                }
                return alias;
            }
        };
        LambdaAliasRouter router =
                new LambdaAliasRouter(new LambdaAliasTarget("checkout-api", "live", null, null, 300), racing);

        TargetStateConflictException conflict =
                assertThrows(TargetStateConflictException.class, () -> router.shift(plan, 10));

        assertTrue(conflict.getMessage().contains("changed while Tollgate was updating it"), conflict.getMessage());
    }

    private static final PinnedSecrets PINNED = new PinnedSecrets(List.of(new PinnedSecret(
            "prod/checkout/db",
            "prod/checkout/db",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/db-AbCdEf",
            "v-7",
            List.of("password"))));

    @Test
    void aVersionTollgatePublishesCarriesThePinnedVersionsAndLatestIsLeftAsItsOwnerSetIt() {
        lambda.withLatestEnvironment(Map.of("RELEASE", "v42"));

        CanaryDeployment deployment = router.deployCanary(router.plan(spec), PINNED);

        assertEquals("42", ((LambdaAliasPlan) deployment.plan()).canaryVersion());
        assertEquals(
                Map.of("RELEASE", "v42", "TOLLGATE_SECRET_VERSIONS", "{\"prod/checkout/db\":\"v-7\"}"),
                lambda.environmentOf("42"));
        assertEquals(Map.of("RELEASE", "v42"), lambda.latestEnvironment(), "$LATEST keeps its own environment");
        assertTrue(
                deployment
                        .detail()
                        .endsWith("; secrets pinned in version 42's environment (TOLLGATE_SECRET_VERSIONS): "
                                + "prod/checkout/db version v-7; TOLLGATE_SECRET_VERSIONS removed from $LATEST again"),
                deployment.detail());
    }

    @Test
    void anUpdateStillInProgressIsRetriedAndTheRetryPublishesOnceWithThePins() {
        lambda.withLatestEnvironment(Map.of("RELEASE", "v42")).updatesAnswerInProgress();
        ReleasePlan plan = router.plan(spec);

        assertThrows(RetryableException.class, () -> router.deployCanary(plan, PINNED));
        CanaryDeployment retried = router.deployCanary(plan, PINNED);

        assertEquals("42", ((LambdaAliasPlan) retried.plan()).canaryVersion());
        assertEquals(
                "v-7",
                Json.tree(lambda.environmentOf("42").get("TOLLGATE_SECRET_VERSIONS"))
                        .path("prod/checkout/db")
                        .asText());
        assertEquals(
                2,
                lambda.environmentUpdates(),
                "one update to pin, one to restore $LATEST; the retry found the pins in place");
    }

    @Test
    void aRetryAfterThePublicationFindsTheSameVersion() {
        ReleasePlan plan = router.plan(spec);
        CanaryDeployment first = router.deployCanary(plan, PINNED);

        CanaryDeployment again = router.deployCanary(first.plan(), PINNED);

        assertEquals(first.plan(), again.plan());
        assertTrue(again.detail().contains("secrets pinned in version 42's environment"), again.detail());
    }

    @Test
    void aVersionTheSpecNamesCannotTakeThePinsAndTheDeploymentSaysSo() {
        LambdaAliasRouter named = new LambdaAliasRouter(
                new LambdaAliasTarget("checkout-api", "live", "42", null, 300), new FakeLambda(42, "41"));

        CanaryDeployment deployment = named.deployCanary(named.plan(spec), PINNED);

        assertTrue(
                deployment
                        .detail()
                        .contains("WARNING: secrets not pinned: version 42 was published before this deployment and a "
                                + "published version's environment cannot change"),
                deployment.detail());
        assertTrue(deployment.detail().contains("Leave target.version out"), deployment.detail());
    }

    @Test
    void withoutSecretsLatestIsNotTouched() {
        router.deployCanary(router.plan(spec), PinnedSecrets.NONE);

        assertEquals(0, lambda.environmentUpdates());
    }
}
