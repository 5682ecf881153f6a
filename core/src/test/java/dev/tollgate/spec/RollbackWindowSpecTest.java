package dev.tollgate.spec;

import static dev.tollgate.spec.SpecFixtures.minimal;
import static dev.tollgate.spec.SpecFixtures.onlyViolation;
import static dev.tollgate.spec.SpecFixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.samples.SampleEventFiles;
import dev.tollgate.spec.RolloutBudget.TaskState;
import org.junit.jupiter.api.Test;

/** {@code afterPromotion.rollbackWindowSeconds}: what the validator keeps, refuses, and what the window costs in the budget. */
class RollbackWindowSpecTest {

    private final SpecValidator validator = new SpecValidator();

    private static ObjectNode withWindow(ObjectNode spec, int seconds) {
        spec.putObject("afterPromotion").put("rollbackWindowSeconds", seconds);
        return spec;
    }

    @Test
    void keepsTheWindowAndItsNormalFormValidatesToItself() {
        DeploymentSpec spec = validator.validate(withWindow(minimal(), 1_800));

        assertEquals(1_800, spec.rollbackWindowSeconds());
        assertEquals(
                spec,
                validator.validate(Json.tree(Json.write(spec))),
                "every function re-validates the spec it is handed");
    }

    @Test
    void aSpecWithoutAfterPromotionKeepsNoWindowAndWritesNoField() {
        DeploymentSpec spec = validator.validate(minimal());

        assertEquals(0, spec.rollbackWindowSeconds());
        assertNull(spec.afterPromotion());
        assertTrue(Json.tree(Json.write(spec)).path("afterPromotion").isMissingNode());
    }

    @Test
    void refusesAWindowLongerThanADayWhileTheLockIsHeld() {
        Violation violation = onlyViolation(withWindow(minimal(), 86_401));

        assertEquals("$.afterPromotion.rollbackWindowSeconds", violation.path());
        assertTrue(violation.allowed().contains("0 to 86400 seconds"), violation::toString);
    }

    @Test
    void refusesAnUnknownFieldUnderAfterPromotion() {
        ObjectNode spec = withWindow(minimal(), 60);
        set(spec, "$.afterPromotion.rollbackWindow", "60");

        assertEquals("$.afterPromotion.rollbackWindow", onlyViolation(spec).path());
    }

    @Test
    void refusesAWindowOnCodeDeploySayingWhatThePlatformAllowsInstead() {
        ObjectNode spec = (ObjectNode) Json.tree(SampleEventFiles.read("statemachine-codedeploy.json"));

        Violation violation = onlyViolation(withWindow(spec, 600));

        assertEquals("$.afterPromotion.rollbackWindowSeconds", violation.path());
        assertTrue(
                violation.problem().contains("CodeDeploy cannot stop a deployment that has succeeded"),
                violation::toString);
        assertTrue(violation.allowed().contains("termination wait"), violation::toString);
        assertEquals(
                0,
                validator
                        .validate(withWindow(
                                (ObjectNode) Json.tree(SampleEventFiles.read("statemachine-codedeploy.json")), 0))
                        .rollbackWindowSeconds(),
                "0 is no window, which CodeDeploy allows");
    }

    @Test
    void theWindowAddsItsParkedTokenAndItsCloseToTheWorstCaseButFewEventsHoweverLong() {
        RolloutBudget.Estimate without = RolloutBudget.of(validator.validate(minimal()));
        RolloutBudget.Estimate hour = RolloutBudget.of(validator.validate(withWindow(minimal(), 3_600)));
        RolloutBudget.Estimate day = RolloutBudget.of(validator.validate(withWindow(minimal(), 86_400)));

        long windowEvents =
                TaskState.KEEP_ROLLBACK_WINDOW_OPEN.maxEvents() + TaskState.CLOSE_ROLLBACK_WINDOW.maxEvents();
        assertEquals(without.historyEvents() + windowEvents, hour.historyEvents());
        assertEquals(hour.historyEvents(), day.historyEvents(), "one parked token, whatever the window's length");
        assertTrue(
                day.durationSeconds() - hour.durationSeconds() == 86_400 - 3_600,
                "the window's length counts in the duration");
        assertTrue(
                hour.durationSeconds() > without.durationSeconds() + 3_600,
                hour.describe().toString());
    }
}
