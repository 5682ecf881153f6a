package dev.tollgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.bench.Outcome.Decision;
import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Tolerance;
import dev.tollgate.bench.scenario.Scenario.Truth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoresTest {

    private static Scenario scenario(String name, Truth truth) {
        return new Scenario(name, truth, 60, 0.1, 10, 30, 500, 0.01, new Tolerance(0.1, 0.2, 0.2), List.of());
    }

    @Test
    void scoresEachShareAgainstItsOwnDenominator() {
        Map<String, Scenario> scenarios = Map.of(
                "good-0", scenario("good-0", Truth.NO_REGRESSION),
                "good-1", scenario("good-1", Truth.NO_REGRESSION),
                "bad-0", scenario("bad-0", Truth.REGRESSION),
                "bad-1", scenario("bad-1", Truth.REGRESSION),
                "bad-2", scenario("bad-2", Truth.REGRESSION),
                "thin-0", scenario("thin-0", Truth.INSUFFICIENT_TRAFFIC));
        List<Outcome> outcomes = List.of(
                new Outcome("good-0", "j", Decision.ROLLBACK, 2),
                new Outcome("good-1", "j", Decision.UNDECIDED, null),
                new Outcome("bad-0", "j", Decision.ROLLBACK, 3),
                new Outcome("bad-1", "j", Decision.ROLLBACK, 8),
                new Outcome("bad-2", "j", Decision.PROMOTE, 10),
                new Outcome("thin-0", "j", Decision.PROMOTE, 10));

        Scores scores = Scores.of("j", outcomes, scenarios);

        assertEquals(new Scores.Share(1, 2), scores.falseRollbacks());
        assertEquals(new Scores.Share(1, 3), scores.missedRegressions());
        assertEquals(new Scores.Share(1, 5), scores.undecided());
        assertEquals(new Scores.Share(1, 1), scores.thinPromotions());
        assertEquals(5.5, scores.medianPeriodsToDetect());
        assertEquals("33.3% (1/3)", scores.missedRegressions().toString());
    }

    @Test
    void hasNoMedianWithoutADetection() {
        Scores scores = Scores.of(
                "j",
                List.of(new Outcome("good-0", "j", Decision.PROMOTE, 10)),
                Map.of("good-0", scenario("good-0", Truth.NO_REGRESSION)));

        assertNull(scores.medianPeriodsToDetect());
        assertEquals("-", scores.thinPromotions().toString());
    }

    @Test
    void aFamilyMedianIsNeverWhenMoreThanHalfOfItWasNeverDetected() {
        double never = Double.POSITIVE_INFINITY;

        assertEquals("2", ScoreTable.median(List.of(1.0, 2.0, 9.0)));
        assertEquals("never", ScoreTable.median(List.of(1.0, never, never)));
        assertEquals("5.5", ScoreTable.median(List.of(2.0, 9.0)));
        assertEquals("-", ScoreTable.median(List.of()));
    }
}
