package dev.tollgate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.metrics.SeriesQuery;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.MetricSpec.MetricRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisServiceTest {

    @Test
    void readsWholePeriodsOnly() {
        Instant shifted = Instant.parse("2026-11-24T10:00:17Z");

        assertEquals(Instant.parse("2026-11-24T10:01:00Z"), AnalysisService.ceilToPeriod(shifted, 60),
                "the period the shift happened in mixes old and new weights");
        assertEquals(Instant.parse("2026-11-24T10:00:00Z"), AnalysisService.ceilToPeriod(Instant.parse("2026-11-24T10:00:00Z"), 60));
        assertEquals(Instant.parse("2026-11-24T10:00:15Z"), AnalysisService.floorToPeriod(shifted, 5));
    }

    @Test
    void asksForNumeratorAndDenominatorOfBothSidesOfARatio() {
        MetricSpec errorRate = new MetricSpec("error-rate", MetricKind.RATIO, new MetricRef("App", "5xx"), new MetricRef("App", "Requests"),
                null, null, null, Map.of("Version", "v42"), Map.of("Version", "v41"), Direction.INCREASE_IS_BAD, 0.1, true);

        var queries = AnalysisService.queriesFor(3, errorRate);

        assertEquals(4, queries.size());
        assertEquals("m3_cn", queries.get(0).id());
        assertEquals("Sum", queries.get(0).stat());
        assertEquals(Map.of("Version", "v41"), queries.get(3).dimensions());
        assertEquals("Requests", queries.get(3).metric());
    }

    @Test
    void asksForThePercentileAndItsSampleCountOnBothSidesOfAStatistic() {
        MetricSpec p99 = new MetricSpec("p99-latency", MetricKind.STATISTIC, null, null, "App", "Latency", "p99",
                Map.of("Version", "v42"), Map.of("Version", "v41"), Direction.INCREASE_IS_BAD, 0.2, true);
        MetricSpec maximum = new MetricSpec("max-latency", MetricKind.STATISTIC, null, null, "App", "Latency", "Maximum",
                Map.of("Version", "v42"), Map.of("Version", "v41"), Direction.INCREASE_IS_BAD, 0.2, true);

        var queries = AnalysisService.queriesFor(1, p99);

        assertEquals(List.of("m1_cv", "m1_bv", "m1_cs", "m1_bs"), queries.stream().map(SeriesQuery::id).toList());
        assertEquals(List.of("p99", "p99", "SampleCount", "SampleCount"), queries.stream().map(SeriesQuery::stat).toList());
        assertEquals(Map.of("Version", "v41"), queries.get(3).dimensions());
        assertEquals(2, AnalysisService.queriesFor(2, maximum).size(), "a maximum's noise does not shrink with its sample count");
    }
}
