package dev.tollgate.spec;

import static dev.tollgate.spec.SpecFixtures.minimal;
import static dev.tollgate.spec.SpecFixtures.onlyViolation;
import static dev.tollgate.spec.SpecFixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.samples.SampleEventFiles;
import dev.tollgate.spec.RolloutBudget.TaskState;
import org.junit.jupiter.api.Test;

/** {@code afterPromotion.watchSeconds}: what the validator keeps, refuses and why, and what the watch costs in the budget. */
class WatchAfterPromotionSpecTest {

    private final SpecValidator validator = new SpecValidator();

    private static ObjectNode withWatch(ObjectNode spec, int watchSeconds, int windowSeconds) {
        spec.putObject("afterPromotion").put("watchSeconds", watchSeconds).put("rollbackWindowSeconds", windowSeconds);
        return spec;
    }

    @Test
    void keepsTheWatchBesideTheWindowAndItsNormalFormValidatesToItself() {
        DeploymentSpec spec = validator.validate(withWatch(minimal(), 1_800, 600));

        assertEquals(1_800, spec.watchSeconds());
        assertEquals(600, spec.rollbackWindowSeconds());
        assertEquals(
                spec,
                validator.validate(Json.tree(Json.write(spec))),
                "every function re-validates the spec it is handed");
    }

    @Test
    void aWatchNeedsNoRollbackWindowSinceTheOldVersionIsRetiredOnlyAfterIt() {
        assertEquals(600, validator.validate(withWatch(minimal(), 600, 0)).watchSeconds());
    }

    @Test
    void refusesAWatchOnCodeDeploySayingWhyThereIsNoWayBack() {
        ObjectNode spec = (ObjectNode) Json.tree(SampleEventFiles.read("statemachine-codedeploy.json"));

        Violation violation = onlyViolation(withWatch(spec, 600, 0));

        assertEquals("$.afterPromotion.watchSeconds", violation.path());
        assertTrue(
                violation.problem().contains("CodeDeploy cannot stop a deployment that has succeeded"),
                violation::toString);
        assertTrue(violation.allowed().contains("ECS_ALB or LAMBDA_ALIAS"), violation::toString);
    }

    @Test
    void refusesAWatchShorterThanTwoAnalysisPeriods() {
        Violation violation = onlyViolation(withWatch(minimal(), 119, 0));

        assertEquals("$.afterPromotion.watchSeconds", violation.path());
        assertTrue(violation.allowed().contains("at least 120 seconds"), violation::toString);
    }

    @Test
    void refusesAWatchWithoutARatioMetricSinceItCouldNeverPass() {
        ObjectNode spec = withWatch(minimal(), 600, 0);
        set(
                spec,
                "$.analysis.metrics",
                "[{\"name\": \"p99\", \"kind\": \"STATISTIC\", \"namespace\": \"App\", \"metric\": \"Latency\","
                        + " \"stat\": \"p99\", \"tolerance\": 0.2}]");
        ((ObjectNode) spec.get("analysis")).remove("slo");

        Violation violation = onlyViolation(spec);

        assertEquals("$.afterPromotion.watchSeconds", violation.path());
        assertTrue(violation.problem().contains("RATIO metric"), violation::toString);
    }

    @Test
    void refusesAWatchAndWindowThatHoldTheLockLongerThanADay() {
        Violation violation = onlyViolation(withWatch(minimal(), 50_000, 40_000));

        assertEquals("$.afterPromotion.watchSeconds", violation.path());
        assertTrue(
                violation.allowed().contains("watchSeconds + rollbackWindowSeconds at most 86400"),
                violation::toString);
    }

    @Test
    void refusesAWatchLongerThanADay() {
        Violation violation = onlyViolation(withWatch(minimal(), 86_401, 0));

        assertEquals("$.afterPromotion.watchSeconds", violation.path());
        assertTrue(violation.allowed().contains("0 to 86400 seconds"), violation::toString);
    }

    @Test
    void theWatchAddsOneTickAPeriodToTheWorstCaseAndItsLengthToTheDuration() {
        RolloutBudget.Estimate without = RolloutBudget.of(validator.validate(minimal()));
        RolloutBudget.Estimate hour = RolloutBudget.of(validator.validate(withWatch(minimal(), 3_600, 0)));
        RolloutBudget.Estimate twoHours = RolloutBudget.of(validator.validate(withWatch(minimal(), 7_200, 0)));

        long ticks = 3_600 / 60;
        assertTrue(
                hour.historyEvents() - without.historyEvents()
                        >= ticks
                                * (RolloutBudget.PLAIN_STATE_EVENTS
                                        + TaskState.WATCH_AFTER_PROMOTION.events(0)
                                        + RolloutBudget.PLAIN_STATE_EVENTS),
                hour.describe().toString());
        assertTrue(twoHours.historyEvents() > hour.historyEvents(), "a longer watch ticks more");
        assertTrue(
                hour.durationSeconds() >= without.durationSeconds() + 3_600,
                hour.describe().toString());
        assertTrue(
                hour.describe().stream()
                        .anyMatch(line -> line.contains("post-promotion watch (a tick every 60 s for 3600 s)")),
                hour.describe().toString());
    }

    @Test
    void refusesAWatchWhoseTicksTheHistoryCannotHoldAtTheWatchSayingHowLongOneCanBe() {
        Violation violation = onlyViolation(withWatch(minimal(), 86_400, 0));

        assertEquals("$.afterPromotion.watchSeconds", violation.path());
        assertTrue(violation.allowed().contains("of watch at one tick per 60 s"), violation::toString);
    }
}
