package dev.tollgate.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shift test on per-period log distances: its noise bound, what it learns, and what one period can weigh. */
class ShiftEvidenceTest {

    private static final double NONE = Double.NaN;

    @Test
    void samplingConstantsAreThoseOfALogNormalQuantileOfUnitSpread() {
        // p(1 − p)/φ(z_p)²: the median's is π/2 exactly; p95's 0.0475/0.103136² = 4.4656; p99's 0.0099/0.026652² =
        // 13.937.
        assertEquals(Math.PI / 2, PercentileShape.samplingConstant("p50"), 1e-8);
        assertEquals(4.4656, PercentileShape.samplingConstant("p95"), 1e-4);
        assertEquals(13.937, PercentileShape.samplingConstant("p99"), 1e-3);
        assertEquals(1.0, PercentileShape.samplingConstant("Average"));
        for (String noShrinking : new String[] {"Sum", "SampleCount", "Maximum", "Minimum", "p100", "p0", null}) {
            assertTrue(Double.isNaN(PercentileShape.samplingConstant(noShrinking)), noShrinking);
        }
    }

    @Test
    void theFirstPeriodIsWeighedByTheBoundSetInAdvanceScaledByItsTraffic() {
        // A median from 100 values a side of a spread of 0.6: 0.6² · π/2 · (1/100 + 1/100) + 0.02² = 0.011710.
        double sampling = 0.36 * PercentileShape.samplingConstant("p50") * (1 / 100.0 + 1 / 100.0);
        ShiftEvidence evidence = new ShiftEvidence(new double[] {0.1}, new double[] {sampling});

        assertTrue(evidence.scaledByCounts());
        assertEquals(0.011710, evidence.variance(0), 1e-6);
        // x = 0.1 is 0.1/√0.011710 = 0.92410 noise widths; a shift of one width: 1·0.92410 − 1/2 = 0.42410.
        assertEquals(0.42410, evidence.increment(0, 1, 1), 1e-4);
    }

    @Test
    void allEqualValuesQuietTheBoundPeriodByPeriod() {
        // No sample counts: the bound is 0.15² a period. Successive differences of zero scale it by
        // (1 + 0)/(1 + m) for m differences before the period: 1, 1, 1/2, 1/3.
        double[] distances = {-0.1, -0.1, -0.1, -0.1};
        ShiftEvidence evidence = new ShiftEvidence(distances, new double[] {NONE, NONE, NONE, NONE});

        assertFalse(evidence.scaledByCounts());
        assertEquals(0.0225, evidence.variance(0), 1e-12);
        assertEquals(0.0225, evidence.variance(1), 1e-12);
        assertEquals(0.0225 / 2, evidence.variance(2), 1e-12);
        assertEquals(0.0225 / 3, evidence.variance(3), 1e-12);
    }

    @Test
    void aNoisyPeriodRaisesTheBoundOfTheNextOnes() {
        // Differences 0.3 and then 0: against a bound of 2 × 0.0225 each, the first is 0.09/0.045 = 2 bounds'
        // worth; the third period is weighed with (1 + 2)/(1 + 1) = 1.5 times the bound, the fourth with
        // (1 + 2 + 0)/(1 + 2) = 1.
        ShiftEvidence evidence =
                new ShiftEvidence(new double[] {0.0, 0.3, 0.3, 0.3}, new double[] {NONE, NONE, NONE, NONE});

        assertEquals(0.0225 * 1.5, evidence.variance(2), 1e-12);
        assertEquals(0.0225, evidence.variance(3), 1e-12);
    }

    @Test
    void aSingleSpikeWeighsNoMoreThanAThreeNoiseWidthPoint() {
        // x = 50 noise widths, capped at 3: the best shift, three widths, adds 3·3 − 9/2 = 4.5, so the
        // evidence of one period stays below e^4.5 = 90, short of the 100 a 1 % false-positive rate needs.
        ShiftEvidence evidence = new ShiftEvidence(new double[] {50 * 0.15}, new double[] {NONE});

        assertEquals(4.5, evidence.increment(0, 3, 1), 1e-12);
        for (int j = 0; j < ShiftEvidence.ALTERNATIVES.size(); j++) {
            assertTrue(evidence.increment(0, ShiftEvidence.ALTERNATIVES.alternative(j), 1) <= 4.5 + 1e-12);
        }
        assertTrue(evidence.logEvidenceFromEachStart()[0] < Math.log(90));
    }

    @Test
    void aSpikeAfterQuietPeriodsIsDroppedFromTheNoiseItTeaches() {
        // Differences 0.01, 0.01, 0.01 and then a jump of 1.0: 1.0² is far more than 20 times the others,
        // so the fifth period's bound learns from the three quiet ones only: (1 + 3·0.0001/0.045)/(1 + 3).
        double[] distances = {0.0, 0.01, 0.0, 0.01, 1.01};
        ShiftEvidence evidence = new ShiftEvidence(distances, new double[] {NONE, NONE, NONE, NONE, NONE});
        ShiftEvidence withNext = new ShiftEvidence(
                new double[] {0.0, 0.01, 0.0, 0.01, 1.01, 1.01}, new double[] {NONE, NONE, NONE, NONE, NONE, NONE});

        assertEquals(0.0225 * (1 + 3 * 0.0001 / 0.045) / 4, evidence.variance(4), 1e-12);
        assertEquals(0.0225 * (1 + 3 * 0.0001 / 0.045) / 4, withNext.variance(5), 1e-12, "the jump is dropped");
    }

    @Test
    void periodsWithoutADistanceAddNothingAndTeachNothing() {
        // A zero or missing percentile has no log distance: it counts neither as evidence nor as a difference.
        ShiftEvidence evidence =
                new ShiftEvidence(new double[] {0.2, NONE, 0.2, 0.2}, new double[] {NONE, NONE, NONE, NONE});

        assertEquals(0.0, evidence.increment(1, 0.2, 1));
        assertEquals(0.0225, evidence.variance(2), 1e-12, "no difference across the gap yet");
        assertEquals(0.0225 / 2, evidence.variance(3), 1e-12, "periods 1 and 3 make one difference");
    }

    @Test
    void withoutEverySampleCountTheBoundIsNotScaledByTraffic() {
        double sampling = 0.36 * PercentileShape.samplingConstant("p99") * (1 / 500.0 + 1 / 4500.0);
        ShiftEvidence evidence = new ShiftEvidence(new double[] {0.1, 0.1}, new double[] {sampling, NONE});

        assertFalse(evidence.scaledByCounts());
        assertEquals(0.0225, evidence.variance(0), 1e-12);
    }

    @Test
    void evidenceBelowZeroIsTheMirrorImage() {
        ShiftEvidence up = new ShiftEvidence(new double[] {0.2, 0.25, 0.22}, new double[] {NONE, NONE, NONE});
        ShiftEvidence down = new ShiftEvidence(new double[] {-0.2, -0.25, -0.22}, new double[] {NONE, NONE, NONE});

        assertEquals(up.logEvidenceFromEachStart()[0], down.logEvidenceBelowZero(), 1e-12);
    }
}
