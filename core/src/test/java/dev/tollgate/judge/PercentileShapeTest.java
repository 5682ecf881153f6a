package dev.tollgate.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The noise bound of a percentile from the tail's spread that it and its companion percentile show. */
class PercentileShapeTest {

    private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
    private static final double NONE = Double.NaN;
    // p99's k² = 0.0099/φ(2.32635)² = 13.93705; the spread error of a p95/p99 pair 4.97401 (below).
    private static final double K99 = 13.93705;
    private static final double MARGIN = 1.27362;
    private static final double SPREAD_ERROR = 4.97401;

    @Test
    void theSpreadOfTheLogNormalThroughTwoPercentiles() {
        // ln(150/100)/(z99 − z95) = 0.405465/0.681494 = 0.594965, whichever of the two is the companion.
        assertEquals(0.594965, PercentileShape.spread(150, 0.99, 100, 0.95), 1e-6);
        assertEquals(0.594965, PercentileShape.spread(100, 0.95, 150, 0.99), 1e-6);
        assertTrue(Double.isNaN(PercentileShape.spread(150, 0.99, 0, 0.95)), "a zero percentile has no log");
        assertTrue(Double.isNaN(PercentileShape.spread(150, 0.99, NONE, 0.95)), "a missing companion");
        assertTrue(Double.isNaN(PercentileShape.spread(150, 0.99, 150, 0.99)), "the same level twice");
    }

    @Test
    void aParetoTailMakesTheP99NoisierThanTheLogNormalFittedThroughP95AndP99() {
        // Pareto: 0.99·0.01/0.01² = 99 per value and index². The fit: k² 13.93705 times the fitted slope
        // (ln(0.01/0.05)/0.681494)² = 5.57730, 77.7294. Their ratio 1.27362. For the p95 the fit is the
        // noisier (4.46556 · 5.57730 = 24.906 against 0.0475/0.0025 = 19): no margin.
        assertEquals(MARGIN, PercentileShape.heavyTailMargin(0.99, 0.95), 1e-4);
        assertEquals(1.0, PercentileShape.heavyTailMargin(0.95, 0.99));
    }

    @Test
    void theSpreadReadFromAPairHasAKnownStandardError() {
        // k95² + k99² − 2ρ·k95·k99 with ρ = √(0.95·0.01/(0.99·0.05)) = 0.438086: 4.46556 + 13.93705
        // − 2 · 0.438086 · 2.11319 · 3.73324 = 11.49065; √ over 0.681494: 4.97401.
        assertEquals(SPREAD_ERROR, PercentileShape.relativeSpreadError(0.95, 0.99), 1e-4);
    }

    @Test
    void theFirstPeriodHasTheSpreadSetInAdvanceAndLaterOnesTheSpreadTheDataShow() {
        // Both sides p95 100 and p99 150 (spread 0.594965), 1,000 canary and 9,000 baseline requests.
        // Period 1: 0.6² · 13.93705 · (1/1000 + 1/9000) = 0.0055748.
        // Period 2: the baseline's spread raised by two standard errors, 0.594965 · (1 + 2 · 4.97401/√9000)
        // = 0.657354; the canary's own, 0.594965 · (1 + 2 · 4.97401/√1000) = 0.782131, is larger and weighs
        // the canary: 13.93705 · 1.27362 · (0.782131²/1000 + 0.657354²/9000) = 0.0117108.
        List<PairedPeriods.Values> periods = periods(new double[][] {{150, 150, 100, 100}, {150, 150, 100, 100}});

        double[] variances = PercentileShape.samplingVariances(periods, "p99", "p95");

        assertEquals(0.36 * K99 * (1 / 1000.0 + 1 / 9000.0), variances[0], 1e-8);
        assertEquals(0.0117108, variances[1], 1e-6);
    }

    @Test
    void aNarrowTailTightensTheBoundOnceTheBaselineHasShownIt() {
        // A spread of 0.3 (p99/p95 = e^(0.3·0.681494) = 1.22716) on 20,000 canary and 180,000 baseline requests:
        // baseline 0.3 · (1 + 2 · 4.97401/√180000) = 0.307031, canary 0.3 · (1 + 2 · 4.97401/√20000) = 0.321102;
        // 13.93705 · 1.27362 · (0.321102²/20000 + 0.307031²/180000) = 1.00803e-4, against the prior's
        // 0.36 · 13.93705 · (1/20000 + 1/180000) = 2.78741e-4.
        double high = 100 * Math.exp(0.3 * 0.681494);
        List<PairedPeriods.Values> periods =
                periods(new double[][] {{high, high, 100, 100}, {high, high, 100, 100}}, 20_000, 180_000);

        double[] variances = PercentileShape.samplingVariances(periods, "p99", "p95");

        assertEquals(2.78741e-4, variances[0], 1e-8);
        assertEquals(1.00803e-4, variances[1], 1e-8);
    }

    @Test
    void zeroMissingOrEqualPercentilesTeachNoSpread() {
        // A zero p95, a missing one, and p95 equal to p99 (a spread of zero, as on a side with one request)
        // show nothing about the tail: every period keeps the spread set in advance.
        List<PairedPeriods.Values> periods = periods(
                new double[][] {{150, 150, 0, 0}, {150, 150, NONE, NONE}, {150, 150, 150, 150}, {150, 150, 100, 100}});

        double[] variances = PercentileShape.samplingVariances(periods, "p99", "p95");

        for (int i = 0; i < 4; i++) {
            assertEquals(0.36 * K99 * (1 / 1000.0 + 1 / 9000.0), variances[i], 1e-8, "period " + (i + 1));
        }
    }

    @Test
    void aCanaryWhoseCompanionIsMissingIsWeighedByTheBaselinesSpread() {
        // Period 1 shows the baseline's spread (0.594965) but not the canary's: period 2 weighs both sides by
        // the baseline's, 0.657354: 13.93705 · 1.27362 · 0.657354² · (1/1000 + 1/9000) = 0.0085225.
        List<PairedPeriods.Values> periods = periods(new double[][] {{150, 150, NONE, 100}, {150, 150, 100, 100}});

        double[] variances = PercentileShape.samplingVariances(periods, "p99", "p95");

        assertEquals(0.0085225, variances[1], 1e-6);
    }

    @Test
    void withoutACompanionTheSpreadIsTheOneSetInAdvance() {
        List<PairedPeriods.Values> periods = periods(new double[][] {{150, 150, 100, 100}, {150, 150, 100, 100}});

        double[] variances = PercentileShape.samplingVariances(periods, "p99", null);

        assertEquals(variances[0], variances[1]);
        assertEquals(0.36 * K99 * (1 / 1000.0 + 1 / 9000.0), variances[1], 1e-8);
    }

    private static List<PairedPeriods.Values> periods(double[][] rows) {
        return periods(rows, 1000, 9000);
    }

    /** Each row: canary value, baseline value, canary companion, baseline companion. */
    private static List<PairedPeriods.Values> periods(double[][] rows, double canarySamples, double baselineSamples) {
        List<PairedPeriods.Values> periods = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            periods.add(new PairedPeriods.Values(
                    START.plusSeconds(60L * i), row[0], row[1], canarySamples, baselineSamples, row[2], row[3]));
        }
        return periods;
    }
}
