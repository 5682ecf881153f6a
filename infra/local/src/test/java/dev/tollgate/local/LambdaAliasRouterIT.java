package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.LambdaAliasPlan;
import dev.tollgate.traffic.TrafficWeights;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/** The Lambda alias backend against moto's Lambda (create, publish and alias APIs; nothing is invoked). */
@Execution(ExecutionMode.CONCURRENT)
class LambdaAliasRouterIT {

    private final LocalStack stack = SharedLocalStack.get();
    /** One per test: a test may make its ledger crash. */
    private final TrafficHarness harness = new TrafficHarness(stack);

    private DeploymentSpec deployment(LambdaAliasFixture fixture, String deploymentId) {
        return harness.deployment(DemoSpecs.lambdaAlias(deploymentId, fixture, "alarm"));
    }

    private DeploymentSpec deployed(LambdaAliasFixture fixture, String deploymentId) throws InterruptedException {
        return harness.deployed(DemoSpecs.lambdaAlias(deploymentId, fixture, "alarm"));
    }

    private GetAliasResponse alias(LambdaAliasFixture fixture) {
        return LocalTargets.alias(stack, fixture);
    }

    private void setAlias(LambdaAliasFixture fixture, String version, Map<String, Double> weights) {
        try (LambdaClient lambda = stack.lambda()) {
            lambda.updateAlias(update -> update.functionName(fixture.functionName())
                    .name(fixture.alias())
                    .functionVersion(version)
                    .routingConfig(routing -> routing.additionalVersionWeights(weights)));
        }
    }

    private static Map<String, Double> routing(GetAliasResponse alias) {
        return alias.routingConfig() == null ? Map.of() : alias.routingConfig().additionalVersionWeights();
    }

    @Test
    void publishesWeighsStepByStepAndPromotesThenTheNextReleaseStartsFromIt() throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-promote");
        DeploymentSpec spec = deployed(fixture, "la-promote-v42");
        LambdaAliasPlan plan = (LambdaAliasPlan) harness.record(spec).plan();
        assertEquals("1", plan.baselineVersion());
        assertEquals("2", plan.canaryVersion(), "Tollgate published $LATEST");

        assertEquals(TrafficWeights.canaryAt(10), harness.traffic.shift(spec, 10));
        assertEquals(Map.of("2", 0.1), routing(alias(fixture)));
        assertEquals(TrafficWeights.canaryAt(50), harness.traffic.shift(spec, 50));
        assertEquals(TrafficWeights.canaryAt(100), harness.traffic.promote(spec).weights());
        assertEquals("2", alias(fixture).functionVersion());
        assertEquals(Map.of(), routing(alias(fixture)), "no routing left after the promotion");
        assertTrue(harness.traffic.retireOldVersion(spec).startsWith("nothing to stop"));

        try (LambdaClient lambda = stack.lambda()) {
            lambda.updateFunctionConfiguration(update -> update.functionName(fixture.functionName())
                    .environment(environment -> environment.variables(Map.of("RELEASE", "v43"))));
        }
        DeploymentSpec next = deployment(fixture, "la-promote-v43");
        harness.traffic.deploy(next, PinnedSecrets.NONE);
        LambdaAliasPlan nextPlan = (LambdaAliasPlan) harness.record(next).plan();
        assertEquals("2", nextPlan.baselineVersion());
        assertEquals("3", nextPlan.canaryVersion());
    }

    @Test
    void takesAVersionAlreadyPublishedFromTheSpec() throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-named");
        String published;
        try (LambdaClient lambda = stack.lambda()) {
            published = lambda.publishVersion(publish -> publish.functionName(fixture.functionName()))
                    .version();
        }
        ObjectNode named = DemoSpecs.lambdaAlias("la-named-v42", fixture, "alarm");
        ((ObjectNode) named.get("target")).put("version", published);
        DeploymentSpec spec = harness.deployment(named);

        assertTrue(harness.traffic
                .deploy(spec, PinnedSecrets.NONE)
                .detail()
                .startsWith("version " + published + " of la-named-api at 0 %"));
        assertEquals(TrafficWeights.canaryAt(5), harness.traffic.shift(spec, 5));
        assertEquals(Map.of(published, 0.05), routing(alias(fixture)));
    }

    @ParameterizedTest(name = "rolls back from {0} %")
    @ValueSource(ints = {0, 10, 50, 100})
    void rollsBackFromEachStepIncludingAfterThePromotion(int weight) throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-rb-" + weight);
        DeploymentSpec spec = deployed(fixture, "la-rb-" + weight + "-v42");
        harness.moveTo(spec, weight);

        assertEquals(TrafficWeights.canaryAt(0), harness.traffic.rollback(spec).weights());

        assertEquals("1", alias(fixture).functionVersion());
        assertEquals(Map.of(), routing(alias(fixture)));
    }

    @Test
    void everyCallMadeTwiceLandsOnTheSameState() throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-twice");
        DeploymentSpec spec = deployment(fixture, "la-twice-v42");

        assertEquals(
                harness.traffic.deploy(spec, PinnedSecrets.NONE).plan(),
                harness.traffic.deploy(spec, PinnedSecrets.NONE).plan(),
                "publishing again gives the same version");
        assertEquals(harness.traffic.health(spec), harness.traffic.health(spec));
        assertEquals(harness.traffic.shift(spec, 20), harness.traffic.shift(spec, 20));
        assertEquals(harness.traffic.promote(spec), harness.traffic.promote(spec));
        assertEquals(harness.traffic.retireOldVersion(spec), harness.traffic.retireOldVersion(spec));
        assertEquals(harness.traffic.rollback(spec), harness.traffic.rollback(spec));
        assertEquals("1", alias(fixture).functionVersion());
    }

    @Test
    void rollsBackAfterACrashBetweenTheWeightAndTheRecord() throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-crash");
        DeploymentSpec spec = deployed(fixture, "la-crash-v42");
        harness.traffic.shift(spec, 10);
        harness.ledger.crashOnSave(1);

        assertThrows(TrafficHarness.SimulatedCrash.class, () -> harness.traffic.shift(spec, 50));
        assertEquals(Map.of("2", 0.5), routing(alias(fixture)), "the weight was set, its record was not");

        assertEquals(TrafficWeights.canaryAt(0), harness.traffic.rollback(spec).weights());
        assertEquals(Map.of(), routing(alias(fixture)));
    }

    @Test
    void rollsBackAfterACrashBetweenPublishingAndTheRecord() throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-crash-pub");
        DeploymentSpec spec = deployment(fixture, "la-crash-pub-v42");
        harness.ledger.crashOnSave(1);

        assertThrows(TrafficHarness.SimulatedCrash.class, () -> harness.traffic.deploy(spec, PinnedSecrets.NONE));
        setAlias(fixture, "1", Map.of("2", 0.1));

        assertEquals(
                TrafficWeights.canaryAt(0),
                harness.traffic.rollback(spec).weights(),
                "the baseline was on the record before publishing, so the rollback knows where to go");
        assertEquals(Map.of(), routing(alias(fixture)));
        assertEquals("1", alias(fixture).functionVersion());
    }

    @Test
    void refusesToShiftAnAliasChangedByHandMidDeployment() throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-hand");
        DeploymentSpec spec = deployed(fixture, "la-hand-v42");
        harness.traffic.shift(spec, 10);
        setAlias(fixture, "1", Map.of("2", 0.3));

        TargetStateConflictException conflict =
                assertThrows(TargetStateConflictException.class, () -> harness.traffic.shift(spec, 50));

        assertTrue(
                conflict.getMessage()
                        .startsWith("refusing to shift to 50 %: the target sends 30 % to the canary, but Tollgate "
                                + "last set 10 %"),
                conflict.getMessage());
        assertEquals(Map.of("2", 0.3), routing(alias(fixture)), "nothing moved");
    }

    @Test
    void refusesAnAliasPointedElsewhereByHand() throws Exception {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-elsewhere");
        DeploymentSpec spec = deployed(fixture, "la-elsewhere-v42");
        setAlias(fixture, "2", Map.of("1", 0.5));

        TargetStateConflictException conflict =
                assertThrows(TargetStateConflictException.class, () -> harness.traffic.promote(spec));

        assertTrue(
                conflict.getMessage().contains("alias live serves version 2 with routing {1=0.5}"),
                conflict.getMessage());
    }

    @Test
    void refusesToStartOnAnAliasAlreadyWeighted() {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-weighted");
        try (LambdaClient lambda = stack.lambda()) {
            String other = lambda.publishVersion(publish -> publish.functionName(fixture.functionName()))
                    .version();
            setAlias(fixture, "1", Map.of(other, 0.2));
        }
        DeploymentSpec spec = deployment(fixture, "la-weighted-v42");

        TargetStateConflictException conflict = assertThrows(
                TargetStateConflictException.class, () -> harness.traffic.deploy(spec, PinnedSecrets.NONE));

        assertTrue(conflict.getMessage().contains("already routes {2=0.2} beside version 1"), conflict.getMessage());
        assertTrue(harness.ledger.find(spec.deploymentId()).isEmpty());
    }

    @Test
    void refusesAReleaseWithNothingNewToPublish() {
        LambdaAliasFixture fixture = LambdaAliasFixture.create(stack, "la-same");
        try (LambdaClient lambda = stack.lambda()) {
            String latest = lambda.publishVersion(publish -> publish.functionName(fixture.functionName()))
                    .version();
            setAlias(fixture, latest, Map.of());
        }
        DeploymentSpec spec = deployment(fixture, "la-same-v42");

        TargetStateConflictException conflict = assertThrows(
                TargetStateConflictException.class, () -> harness.traffic.deploy(spec, PinnedSecrets.NONE));

        assertTrue(
                conflict.getMessage().contains("there is nothing new to release ($LATEST has not changed"),
                conflict.getMessage());
    }
}
