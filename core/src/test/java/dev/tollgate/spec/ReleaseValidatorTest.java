package dev.tollgate.spec;

import static dev.tollgate.spec.SpecFixtures.paths;
import static dev.tollgate.spec.SpecFixtures.remove;
import static dev.tollgate.spec.SpecFixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.spec.ReleaseSpec.OnFailure;
import dev.tollgate.spec.ReleaseSpec.WaveTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseValidatorTest {

    private final ReleaseValidator validator = new ReleaseValidator();

    private static ObjectNode release() {
        return SpecFixtures.load("release-three-regions.json");
    }

    private List<Violation> violations(ObjectNode release) {
        return assertThrows(InvalidSpecException.class, () -> validator.validate(release))
                .violations();
    }

    private Violation violationAt(ObjectNode release, String path) {
        List<Violation> violations = violations(release);
        return violations.stream()
                .filter(violation -> violation.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + " in " + violations));
    }

    @Test
    void composesOneCompleteSpecPerTargetNamedAfterTheReleaseWaveAndTarget() {
        ReleaseSpec spec = validator.validate(release());

        assertEquals("checkout-v42", spec.releaseId());
        assertEquals(2, spec.waves().size());
        assertEquals(OnFailure.ROLLBACK_ALL, spec.onFailure());
        WaveTarget first = spec.waves().get(0).targets().get(0);
        assertEquals("eu-west-1", first.region());
        assertNull(first.roleArn());
        assertEquals("checkout-v42-w1-1", first.spec().deploymentId());
        assertEquals("checkout", first.spec().service());
        assertTrue(first.spec().target() instanceof EcsAlbTarget);
        WaveTarget sydney = spec.waves().get(1).targets().get(1);
        assertEquals("checkout-v42-w2-2", sydney.spec().deploymentId());
        assertEquals(
                "arn:aws:iam::210987654321:role/tollgate/deployer",
                spec.waves().get(1).targets().get(0).roleArn());
        assertEquals(
                List.of("checkout-v42-w1-1", "checkout-v42-w2-1", "checkout-v42-w2-2"),
                spec.targets().stream()
                        .map(target -> target.spec().deploymentId())
                        .toList());
    }

    @Test
    void bakesBetweenWavesButNotAfterTheLast() {
        ReleaseSpec spec = validator.validate(release());

        assertEquals(900, spec.waves().get(0).bakeAfterSeconds());
        assertEquals(0, spec.waves().get(1).bakeAfterSeconds());
    }

    @Test
    void laterWavesBakeHalfAsLongByDefaultRoundedUpAndNeverBelowOnePeriod() {
        ObjectNode release = release();
        set(release, "$.steps[0]", "{\"weight\": 10, \"bakeSeconds\": 100, \"maxBakeSeconds\": 301}");
        ReleaseSpec spec = validator.validate(release);

        List<StepSpec> first = spec.waves().get(0).targets().get(0).spec().steps();
        List<StepSpec> second = spec.waves().get(1).targets().get(0).spec().steps();
        assertEquals(List.of(10, 50, 100), second.stream().map(StepSpec::weight).toList());
        assertEquals(100, first.get(0).bakeSeconds());
        assertEquals(60, second.get(0).bakeSeconds(), "half of 100 is below the 60 s period");
        assertEquals(151, second.get(0).maxBakeSeconds(), "half of 301, rounded up");
        assertEquals(151, second.get(1).bakeSeconds());
        assertEquals(302, second.get(1).maxBakeSeconds(), "the default, twice the halved bake");
    }

    @Test
    void aWaveMayStateItsOwnSchedule() {
        ObjectNode release = release();
        set(release, "$.waves[1].steps", "[{\"weight\": 25, \"bakeSeconds\": 120}, {\"weight\": 100}]");
        ReleaseSpec spec = validator.validate(release);

        assertEquals(
                List.of(25, 100),
                spec.waves().get(1).targets().get(0).spec().steps().stream()
                        .map(StepSpec::weight)
                        .toList());
        assertEquals(120, spec.waves().get(1).targets().get(0).spec().step(0).bakeSeconds());
    }

    @Test
    void defaultsToRollingBackEveryWaveAndTenMinutesBetweenWaves() {
        ObjectNode release = release();
        remove(release, "$.onFailure");
        remove(release, "$.bakeBetweenWavesSeconds");
        ReleaseSpec spec = validator.validate(release);

        assertEquals(OnFailure.ROLLBACK_ALL, spec.onFailure());
        assertEquals(600, spec.bakeBetweenWavesSeconds());
    }

    @Test
    void refusesAnEmptyWave() {
        Violation violation = violationAt(set(release(), "$.waves[1].targets", "[]"), "$.waves[1].targets");

        assertTrue(violation.problem().contains("the wave is empty"), violation.toString());
    }

    @Test
    void refusesTheSameServiceTwiceInOneRegionEvenInAnotherWave() {
        ObjectNode release = release();
        set(release, "$.waves[1].targets[1].region", "\"eu-west-1\"");

        Violation violation = violationAt(release, "$.waves[1].targets[1].region");
        assertTrue(
                violation.problem().contains("checkout in eu-west-1 again (already at $.waves[0].targets[0])"),
                violation.toString());
    }

    @Test
    void anotherServiceInTheSameRegionIsAnotherLock() {
        ObjectNode release = release();
        set(release, "$.waves[1].targets[1].region", "\"eu-west-1\"");
        set(release, "$.waves[1].targets[1].service", "\"checkout-api\"");

        ReleaseSpec spec = validator.validate(release);
        assertEquals("checkout-api", spec.waves().get(1).targets().get(1).spec().service());
    }

    @Test
    void refusesARegionAwsDoesNotRun() {
        Violation violation = violationAt(
                set(release(), "$.waves[1].targets[0].region", "\"us-east-7\""), "$.waves[1].targets[0].region");

        assertEquals("'us-east-7' is not a region AWS runs", violation.problem());
    }

    @Test
    void refusesARoleArnThatIsNotAnIamRole() {
        for (String notARole : List.of(
                "arn:aws:iam::210987654321:user/deployer",
                "arn:aws:iam::21098765432:role/deployer",
                "arn:aws:sts::210987654321:assumed-role/deployer/session",
                "deployer")) {
            Violation violation = violationAt(
                    set(release(), "$.waves[1].targets[0].roleArn", Json.write(notARole)),
                    "$.waves[1].targets[0].roleArn");
            assertTrue(violation.problem().endsWith("is not an IAM role ARN"), violation.toString());
        }
    }

    @Test
    void refusesARoleOfAnotherPartitionThanItsRegion() {
        Violation violation = violationAt(
                set(release(), "$.waves[1].targets[0].roleArn", "\"arn:aws-cn:iam::210987654321:role/deployer\""),
                "$.waves[1].targets[0].roleArn");

        assertTrue(violation.problem().contains("aws-cn partition, the region us-east-1 in aws"), violation.toString());
    }

    @Test
    void refusesATargetWhoseArnsNameAnotherRegion() {
        Violation violation = violationAt(
                set(release(), "$.waves[0].targets[0].region", "\"eu-central-1\""),
                "$.waves[0].targets[0].target.listenerArn");

        assertEquals("names the region eu-west-1, but the target is in eu-central-1", violation.problem());
    }

    @Test
    void reportsEachTargetsOwnSpecProblemsAtTheTargetsPath() {
        ObjectNode release = release();
        set(release, "$.waves[1].targets[1].target.alias", "\"123\"");
        remove(release, "$.waves[0].targets[0].target.cluster");

        List<String> paths = paths(violations(release));
        assertEquals(List.of("$.waves[0].targets[0].target.cluster", "$.waves[1].targets[1].target.alias"), paths);
    }

    @Test
    void reportsASharedFieldsProblemOnceWhereItIsWritten() {
        ObjectNode release = release();
        set(release, "$.analysis.metrics[0].tolerance", "0");

        assertEquals(List.of("$.analysis.metrics[0].tolerance"), paths(violations(release)));
    }

    @Test
    void reportsAWavesOwnScheduleAtTheWave() {
        ObjectNode release = release();
        set(release, "$.waves[1].steps", "[{\"weight\": 25, \"bakeSeconds\": 120}, {\"weight\": 90}]");

        assertEquals(
                List.of("$.waves[1].steps[1].weight"), paths(violations(release)), "once, though both targets have it");
    }

    @Test
    void listsEveryProblemOfTheReleaseAtOnce() {
        ObjectNode release = release();
        set(release, "$.releaseId", "\"checkout v42\"");
        set(release, "$.onFailure", "\"ROLLBACK_SOME\"");
        set(release, "$.waves[0].targets[0].regoin", "\"eu-west-1\"");
        set(release, "$.waves[1].targets[0].region", "\"mars-1\"");
        set(release, "$.waves[1].targets[1].target.version", "\"latest\"");

        assertEquals(
                List.of(
                        "$.releaseId",
                        "$.onFailure",
                        "$.waves[0].targets[0].regoin",
                        "$.waves[1].targets[0].region",
                        "$.waves[1].targets[1].target.version"),
                paths(violations(release)));
    }

    @Test
    void refusesTooManyWavesAndAReleaseWithoutWaves() {
        ObjectNode release = release();
        ArrayNode waves = (ArrayNode) release.get("waves");
        for (int index = 0; index < ReleaseValidator.MAX_WAVES; index++) {
            waves.add(waves.get(1).deepCopy());
        }
        assertEquals(List.of("$.waves"), paths(violations(release)));
        assertEquals(List.of("$.waves"), paths(violations(remove(release(), "$.waves"))));
    }

    @Test
    void aReleaseIdLeavesRoomForTheTargetsSuffixInTheExecutionName() {
        String longest = "r".repeat(64);
        ReleaseSpec spec = validator.validate(set(release(), "$.releaseId", Json.write(longest)));
        assertTrue(spec.targets().stream()
                .allMatch(target -> target.spec().deploymentId().length() <= 80));

        assertEquals(
                List.of("$.releaseId"), paths(violations(set(release(), "$.releaseId", Json.write(longest + "r")))));
    }

    @Test
    void refusesAReleaseWhoseStateWouldPassStepFunctionsPayloadQuota() {
        ObjectNode release = release();
        ArrayNode targets = (ArrayNode) release.get("waves").get(1).get("targets");
        ObjectNode dimensions = (ObjectNode) release.get("analysis").get("canaryDimensions");
        for (int index = 0; index < 25; index++) {
            dimensions.put("Dimension" + index, "v".repeat(1000));
        }
        targets.removeAll();
        for (int index = 0; index < ReleaseValidator.MAX_TARGETS_PER_WAVE; index++) {
            targets.add(
                    Json.MAPPER
                            .createObjectNode()
                            .put("region", "us-east-1")
                            .put("service", "checkout-" + index)
                            .set(
                                    "target",
                                    Json.tree(
                                            "{\"type\": \"LAMBDA_ALIAS\", \"functionName\": \"checkout\", \"alias\": \"live\"}")));
        }
        Violation violation = violationAt(release, "$");

        assertTrue(violation.problem().startsWith("the release's state could reach "), violation.toString());
        assertTrue(violation.allowed().contains("split the release in two"), violation.toString());
    }

    @Test
    void aTypicalReleaseCostsTheParentUnderThreeThousandEventsAtWorstMostOfThemItsWaitingLoops() {
        ReleaseBudget.Estimate estimate = ReleaseBudget.of(validator.validate(release()));

        assertEquals(
                ReleaseBudget.FIXED_EVENTS
                        + 2 * ReleaseBudget.EVENTS_PER_WAVE
                        + 3
                                * (ReleaseBudget.EVENTS_PER_TARGET
                                        + ReleaseBudget.lockCheckEvents(ReleaseSpec.OnLockHeld.FAIL)),
                estimate.historyEvents());
        assertTrue(estimate.historyEvents() < 3_000, () -> "worst case " + estimate.historyEvents());
        assertTrue(estimate.overQuota().isEmpty());
    }

    @Test
    void theLargestReleaseAllowedFitsTheParentsHistory() {
        long worst = ReleaseBudget.FIXED_EVENTS
                + (long) ReleaseValidator.MAX_WAVES * ReleaseBudget.EVENTS_PER_WAVE
                + (long) ReleaseValidator.MAX_TARGETS
                        * (ReleaseBudget.EVENTS_PER_TARGET
                                + ReleaseBudget.lockCheckEvents(ReleaseSpec.OnLockHeld.FAIL));

        assertTrue(worst <= RolloutBudget.HISTORY_EVENT_LIMIT, () -> "worst case " + worst);
    }

    @Test
    void theQuotaPageStatesTheParentsFiguresAsTheBudgetComputesThem() throws java.io.IOException {
        String page = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "quotas.md"))
                .replaceAll("\\s+", " ");
        long largest = ReleaseBudget.FIXED_EVENTS
                + (long) ReleaseValidator.MAX_WAVES * ReleaseBudget.EVENTS_PER_WAVE
                + (long) ReleaseValidator.MAX_TARGETS
                        * (ReleaseBudget.EVENTS_PER_TARGET
                                + ReleaseBudget.lockCheckEvents(ReleaseSpec.OnLockHeld.FAIL));

        for (String figure : List.of(
                "a target costs **"
                        + (ReleaseBudget.EVENTS_PER_TARGET + ReleaseBudget.lockCheckEvents(ReleaseSpec.OnLockHeld.FAIL))
                        + " events**",
                "A wave costs at worst **" + ReleaseBudget.EVENTS_PER_WAVE + "**",
                "plus **" + ReleaseBudget.FIXED_EVENTS + "** for the release",
                "costs **" + RolloutBudget.count(largest) + " events** at worst",
                "**" + ReleaseBudget.of(validator.validate(release())).historyEvents() + "**")) {
            assertTrue(page.contains(figure), () -> "docs/quotas.md, \"Wave releases\", should say " + figure);
        }
    }

    @Test
    void aNormalisedReleaseReadsBackAsTheSameRelease() {
        ReleaseSpec spec = validator.validate(release());

        assertEquals(spec, Json.read(Json.write(spec), ReleaseSpec.class));
    }

    @Test
    void everyTargetKeepsItsWayBackUntilTheReleaseEndsBesideItsWatch() {
        ObjectNode release = release();
        release.putObject("afterPromotion").put("watchSeconds", 1_800);

        ReleaseSpec spec = validator.validate(release);

        for (WaveTarget target : spec.targets()) {
            assertEquals(
                    86_400 - 1_800,
                    target.spec().rollbackWindowSeconds(),
                    target.spec().deploymentId());
            assertEquals(1_800, target.spec().watchSeconds());
        }
        assertEquals(
                ReleaseSpec.OnLockHeld.FAIL,
                spec.onLockHeld(),
                "a held lock fails the target unless the release says WAIT");
    }

    @Test
    void aReleaseRefusesARollbackWindowOfItsOwnAndACodeDeployTargetSayingWhy() {
        ObjectNode release = release();
        release.putObject("afterPromotion").put("rollbackWindowSeconds", 3_600);
        ObjectNode target =
                (ObjectNode) release.get("waves").get(1).get("targets").get(0);
        target.remove("roleArn");
        target.put("region", "us-east-1");
        target.set(
                "target",
                Json.tree("{\"type\": \"CODEDEPLOY\", \"application\": \"checkout\", \"deploymentGroup\": \"prod\","
                        + " \"lambda\": {\"functionName\": \"checkout\", \"alias\": \"live\"}}"));
        release.put("onLockHeld", "SOMETIMES");

        List<Violation> violations = violations(release);

        assertTrue(
                violationAt(release, "$.afterPromotion.rollbackWindowSeconds")
                        .problem()
                        .contains("until the whole release ends"),
                violations.toString());
        assertTrue(
                violationAt(release, "$.waves[1].targets[0].target.type")
                        .problem()
                        .contains("CODEDEPLOY target cannot be part of a release"),
                violations.toString());
        assertTrue(
                violations.stream().anyMatch(violation -> violation.path().equals("$.onLockHeld")),
                violations.toString());
    }
}
