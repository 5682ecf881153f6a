package dev.tollgate.judge;

import static dev.tollgate.judge.StepEvidenceBuilder.check;
import static dev.tollgate.judge.StepEvidenceBuilder.errorRate;
import static dev.tollgate.judge.StepEvidenceBuilder.statistic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.judge.CheckVerdict.CheckKind;
import dev.tollgate.spec.MetricSpec.Direction;
import org.junit.jupiter.api.Test;

/** How the checks combine into the step's verdict: alarms, criticality, the minimum sample (the SLO burn: {@link BurnRateCheckTest}). */
class StepVerdictTest {

    private static StepEvidenceBuilder healthyStep(int periods) {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(errorRate(0.10)).repeatCounts(periods, 10, 1000, 90, 9000);
        return step;
    }

    @Test
    void failsTheStepWhenANamedAlarmIsInAlarm() {
        StepVerdict verdict =
                healthyStep(10).alarm("checkout-p99-slo", AlarmState.ALARM).judgeAfter(10);

        assertEquals(Verdict.FAIL, verdict.verdict());
        assertEquals("checkout-p99-slo: alarm in ALARM", verdict.reason());
        assertEquals(CheckKind.ALARM, check(verdict, "checkout-p99-slo").kind());
    }

    @Test
    void neverPassesWhileAnAlarmHasInsufficientDataOrIsMissing() {
        StepVerdict insufficient = healthyStep(10)
                .alarm("checkout-anomaly", AlarmState.INSUFFICIENT_DATA)
                .judgeAfter(10);
        StepVerdict missing = healthyStep(10).alarm("no-such-alarm", null).judgeAfter(10);

        assertEquals(Verdict.INCONCLUSIVE, insufficient.verdict());
        assertEquals("checkout-anomaly: alarm has INSUFFICIENT_DATA", insufficient.reason());
        assertEquals(Verdict.INCONCLUSIVE, missing.verdict());
        assertEquals(Verdict.INCONCLUSIVE, check(missing, "no-such-alarm").verdict());
    }

    @Test
    void passesWhenEveryCheckPassesIncludingAlarmsInOk() {
        StepVerdict verdict =
                healthyStep(10).alarm("checkout-anomaly", AlarmState.OK).judgeAfter(10);

        assertEquals(Verdict.PASS, verdict.verdict(), verdict.reason());
        assertEquals("all 2 checks pass, 10000 canary requests compared (minimum 500)", verdict.reason());
    }

    @Test
    void aNonCriticalMetricFailsOnlyOnceConfirmedAtTheNextLook() {
        StepEvidenceBuilder critical = healthyStep(5);
        critical.metric(statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, true))
                .repeatValues(5, 300.0, 150.0);
        StepEvidenceBuilder nonCritical = healthyStep(5);
        nonCritical
                .metric(statistic("p99-latency", "p99", 0.20, Direction.INCREASE_IS_BAD, false))
                .repeatValues(5, 300.0, 150.0);

        assertEquals(Verdict.FAIL, critical.judgeAfter(2).verdict());
        StepVerdict unconfirmed = nonCritical.judgeAfter(2);
        assertEquals(Verdict.INCONCLUSIVE, unconfirmed.verdict());
        assertTrue(
                check(unconfirmed, "p99-latency").reason().startsWith("unconfirmed regression"),
                check(unconfirmed, "p99-latency").reason());
        StepVerdict confirmed = nonCritical.judgeAfter(3);
        assertEquals(Verdict.FAIL, confirmed.verdict());
        assertTrue(check(confirmed, "p99-latency").reason().endsWith("(confirmed at two consecutive looks)"));
    }

    @Test
    void cannotReachTheMinimumSampleWithoutARatioMetricToCountRequests() {
        StepEvidenceBuilder step = new StepEvidenceBuilder();
        step.metric(statistic("p95-latency", "p95", 0.20, Direction.INCREASE_IS_BAD, true))
                .repeatValues(20, 100.0, 100.0);

        StepVerdict verdict = step.judgeAfter(20);

        assertEquals(Verdict.PASS, check(verdict, "p95-latency").verdict());
        assertEquals(Verdict.INCONCLUSIVE, verdict.verdict());
        assertFalse(verdict.minimumSampleReached());
        assertEquals("minimum sample not reached: no RATIO metric counts the canary's requests", verdict.reason());
    }

    @Test
    void reportsEveryFailingCheckInTheReason() {
        StepEvidenceBuilder step = new StepEvidenceBuilder().alarm("checkout-anomaly", AlarmState.ALARM);
        step.metric(errorRate(0.10)).repeatCounts(3, 100, 1000, 90, 9000);

        StepVerdict verdict = step.judgeAfter(3);

        assertEquals(Verdict.FAIL, verdict.verdict());
        assertTrue(
                verdict.reason()
                        .startsWith("error-rate: regression: canary 10.0% (300/3000) vs baseline 1.0% (270/27000)"),
                verdict.reason());
        assertTrue(verdict.reason().endsWith("; checkout-anomaly: alarm in ALARM"), verdict.reason());
    }
}
