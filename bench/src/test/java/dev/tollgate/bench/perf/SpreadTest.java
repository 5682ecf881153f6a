package dev.tollgate.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void medianAndQuartilesInterpolateBetweenRanks() {
        Spread spread = Spread.of(List.of(4.0, 1.0, 3.0, 2.0));

        assertEquals(2.5, spread.median());
        assertEquals(1.75, spread.lowerQuartile());
        assertEquals(3.25, spread.upperQuartile());
        assertEquals(1.0, spread.min());
        assertEquals(4.0, spread.max());
        assertEquals("2.50 [1.75–3.25]", spread.format(2));
    }

    @Test
    void oneValueIsItsOwnSpread() {
        assertEquals("7 [7–7]", Spread.of(List.of(7.0)).format(0));
    }
}
