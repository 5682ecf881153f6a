package dev.tollgate.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.bench.scenario.Scenario.Period;
import dev.tollgate.bench.scenario.Scenario.Side;
import dev.tollgate.bench.scenario.Scenario.Truth;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScenarioGeneratorTest {

    private static final List<Scenario> SET = ScenarioGenerator.generate(11, 196);

    @Test
    void theSameSeedGivesTheSameScenarios() {
        assertEquals(ScenarioGenerator.generate(11, 30), SET.subList(0, 30));
        assertNotEquals(ScenarioGenerator.generate(12, 30), SET.subList(0, 30));
    }

    @Test
    void everyFamilyAppearsWithItsTruth() {
        Set<String> families = SET.stream().map(Scenario::family).collect(Collectors.toSet());

        assertEquals(ScenarioGenerator.Family.values().length, families.size(), families.toString());
        for (Scenario scenario : SET) {
            if (scenario.family().startsWith("errors-") || scenario.family().contains("latency-")) {
                assertTrue(scenario.truth() != Truth.NO_REGRESSION, scenario.name());
            }
            if (scenario.family().equals("trickle")) {
                assertEquals(Truth.INSUFFICIENT_TRAFFIC, scenario.truth(), scenario.name());
            }
        }
    }

    @Test
    void insufficientTrafficMeansTheCanaryNeverReachesItsMinimum() {
        for (Scenario scenario : SET) {
            double canaryRequests = scenario.periods().subList(0, scenario.replayPeriods()).stream()
                    .map(Period::canary)
                    .filter(side -> side.requests() != null)
                    .mapToDouble(Side::requests)
                    .sum();
            assertEquals(
                    scenario.truth() == Truth.INSUFFICIENT_TRAFFIC,
                    canaryRequests < scenario.minRequests(),
                    scenario.name());
        }
    }

    @Test
    void countsAreConsistentAndPercentilesAbsentWithoutRequests() {
        for (Scenario scenario : SET) {
            for (Period period : scenario.periods()) {
                for (Side side : List.of(period.baseline(), period.canary())) {
                    if (side.requests() == null) {
                        assertNull(side.errors());
                        continue;
                    }
                    assertTrue(side.errors() >= 0 && side.errors() <= side.requests(), scenario.name());
                    assertEquals(side.requests() == 0, side.p95() == null, scenario.name());
                    if (side.p95() != null) {
                        assertTrue(side.p99() >= side.p95() * 0.999, scenario.name());
                    }
                }
            }
        }
    }
}
