package dev.tollgate.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The building blocks of the evidence, checked against closed forms worked out by hand. */
class EvidenceArithmeticTest {

    @Test
    void tTestEvidenceOfThreeIdenticalValuesIsTheMeanOfOnePlusThreeG() {
        // S²/Q = n: each prior scale g gives (1 + n g)^((n − 1)/2) = 1 + 3g.
        double expected = (4 + 31 + 301 + 3001 + 30001) / 5.0;

        assertEquals(Math.log(expected), TTestEvidence.logEvidence(3, 1.5, 0.75), 1e-9);
    }

    @Test
    void tTestHasNoEvidenceFromOneValueAndNoneForTheWrongSign() {
        assertEquals(0.0, TTestEvidence.logEvidence(1, 5, 25));
        assertEquals(Double.NEGATIVE_INFINITY, TTestEvidence.logEvidence(4, -1, 2));
    }

    @Test
    void signEvidenceMatchesItsBetaMixtureClosedForm() {
        // ∫ (2p)^n · 8p^7 / (1 − 2^-8) dp over (1/2, 1] = 2^n · 8 (1 − 2^-(n+8)) / ((n + 8)(1 − 2^-8)).
        for (int n = 1; n <= 12; n++) {
            double closedForm = Math.pow(2, n) * 8 * (1 - Math.pow(2, -(n + 8))) / ((n + 8) * (1 - Math.pow(2, -8)));
            assertEquals(closedForm, Math.exp(SignEvidence.logEvidence(n, n)), closedForm * 0.01, "n = " + n);
        }
        assertEquals(0.0, SignEvidence.logEvidence(0, 0), 1e-12);
    }

    @Test
    void signTestNeedsEightStraightPeriodsAtOnePercent() {
        assertEquals(-1, SignEvidence.successesNeeded(7, Math.log(100)));
        assertEquals(8, SignEvidence.successesNeeded(8, Math.log(100)));
    }

    @Test
    void changePointWeightsSumToOneSoFlatEvidenceStaysAtOne() {
        for (int periods = 1; periods <= 40; periods++) {
            double[] flat = new double[periods];
            assertEquals(0.0, ChangePoints.fromStartEvidence(flat).logEvidence(), 1e-12, periods + " periods");
        }
    }

    @Test
    void rateRatioLikelihoodOfOnePeriodIsTheTemperedConditionalBinomial() {
        // 30 of a period's 100 errors in the canary at a 10 % share of requests. Tested at rho = 3
        // against rho = 1: p = 0.3/1.2 = 0.25 against 0.1, so log LR = 30 ln 2.5 + 70 ln(0.75/0.9)
        // = 14.726, scaled by 1/(1 + 99·p(1 − p)·0.10²) (the prior noise, as no period came before), p
        // being the canary's share of errors at the ratio so far, pulled towards 1 by half an error a
        // side: with nothing before it, 1, so p = 0.1 and the scale is 1/(1 + 99·0.09·0.01) = 0.9182.
        RateRatioEvidence evidence = new RateRatioEvidence(
                List.of(new PairedPeriods.Counts(StepEvidenceBuilder.STEP_START, 30, 1000, 70, 9000)));
        double expected = (30 * Math.log(2.5) + 70 * Math.log(0.75 / 0.9)) / (1 + 99 * 0.09 * 0.01);

        assertEquals(expected, evidence.logLikelihoodRatio(3.0, 1.0), 1e-12);
        assertEquals(13.522, expected, 0.001);
        // Mantel-Haenszel: 30·0.9 / (70·0.1).
        assertEquals(27.0 / 7.0, evidence.estimate(), 1e-12);
        // At the estimate the canary's share of errors is exactly the observed 30 %: no alternative does better.
        assertTrue(
                evidence.logEvidenceAbove(1.0) < evidence.logLikelihoodRatio(27.0 / 7.0, 1.0),
                "a mixture stays below its best component");
    }
}
