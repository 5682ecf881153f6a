package dev.tollgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.fakes.Histories;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {

    @Test
    void saysWhichStepAtWhichWeightAndHowTheLastTickWent() {
        Histories history = new Histories("checkout-v42", 5, 25, 50, 100)
                .shifted(0, 5)
                .tick("PASS", "error-rate", "no regression", "NEXT_STEP", "step 1/4 (5 %) passed")
                .shifted(1, 25)
                .verdict("PASS", "error-rate", "no regression: canary 1.0% (3/300) vs baseline 1.1% (30/2700)");

        RolloutProgress progress = RolloutProgress.from(history.events());

        assertEquals("step 2/4 at 25 %: healthy", progress.summary());
        assertEquals("checkout-v42", progress.deploymentId());
        assertEquals(50, progress.percentComplete());
        assertEquals(
                "no regression: canary 1.0% (3/300) vs baseline 1.1% (30/2700)",
                progress.lastVerdict().checks().get(0).reason());
    }

    @Test
    void aNewStepHasNoVerdictUntilItsFirstTick() {
        Histories history = new Histories("checkout-v42", 10, 100).shifted(0, 10);

        assertEquals(
                "step 1/2 at 10 %: baking",
                RolloutProgress.from(history.events()).summary());
    }

    @Test
    void anUndecidedOrFailingTickIsSaidSo() {
        Histories undecided =
                new Histories("checkout-v42", 10, 100).shifted(0, 10).verdict("INCONCLUSIVE", "p99", "2 periods");
        Histories failing =
                new Histories("checkout-v42", 10, 100).shifted(0, 10).verdict("FAIL", "error-rate", "regression");

        assertEquals(
                "step 1/2 at 10 %: undecided",
                RolloutProgress.from(undecided.events()).summary());
        assertEquals(
                "step 1/2 at 10 %: failing (regression)",
                RolloutProgress.from(failing.events()).summary());
    }

    @Test
    void anApprovalGateIsWaitingFromItsEntryToItsExit() {
        Histories history = new Histories("checkout-v42", 10, 50, 100)
                .shifted(0, 10)
                .tick("PASS", "error-rate", "ok", "AWAIT_APPROVAL", "waiting for approval")
                .entered("AwaitApproval");

        RolloutProgress waiting = RolloutProgress.from(history.events());
        assertTrue(waiting.awaitingApproval());
        assertEquals("step 1/3 at 10 %: waiting for approval", waiting.summary());

        history.exited("AwaitApproval", "approval", "{\"action\":\"APPROVE\",\"decidedBy\":\"alice\"}");
        assertFalse(RolloutProgress.from(history.events()).awaitingApproval());
    }

    @Test
    void theSmokeTestIsSaidAndToldWithWhatItSaw() {
        Histories history = new Histories("checkout-v42", 10, 100).entered("SmokeTestCanary");
        assertEquals(
                "preparing: smoke-testing the canary at 0 %",
                RolloutProgress.from(history.events()).summary());

        history.exited(
                "SmokeTestCanary",
                "canary",
                "{\"healthy\":true,\"smokeTest\":{\"passed\":false,"
                        + "\"reason\":\"GET /health on http://checkout-test:8443 answered HTTP 503 in 1 attempt (expected 200)\"}}");

        assertTrue(
                HistoryReport.lines(history.events()).stream()
                        .anyMatch(
                                line -> line.endsWith(
                                        "smoke test at 0 % FAILED: GET /health on http://checkout-test:8443 answered HTTP 503 in 1 attempt (expected 200)")),
                HistoryReport.lines(history.events()).toString());
    }

    @Test
    void beforeTheFirstStepItSaysWhatIsBeingPrepared() {
        assertEquals(
                "preparing: validating the request",
                RolloutProgress.from(List.of()).summary());
        Histories history = new Histories("checkout-v42", 10, 100).entered("DeployCanary");
        assertEquals(
                "preparing: deploying the canary",
                RolloutProgress.from(history.events()).summary());
        assertEquals(0, RolloutProgress.from(history.events()).percentComplete());
    }

    @Test
    void theHistoryReportShowsEveryCheckWithItsNumbersAndFailures() {
        Histories history = new Histories("checkout-v42", 10, 100)
                .shifted(0, 10)
                .verdict("FAIL", "error-rate", "regression: canary 7.3% (8/110) vs baseline 1.5% (16/1090)")
                .failed(
                        "dev.tollgate.errors.AwsUnavailableException",
                        "{\"errorMessage\":\"throttled\",\"errorType\":\"x\"}");

        List<String> lines = HistoryReport.lines(history.events());

        assertTrue(lines.stream().anyMatch(line -> line.endsWith("step 1/2: canary at 10 %")), lines.toString());
        assertTrue(
                lines.stream().anyMatch(line -> line.contains("FAIL error-rate: regression: canary 7.3% (8/110)")),
                lines.toString());
        assertTrue(
                lines.stream()
                        .anyMatch(line ->
                                line.endsWith("task failed: dev.tollgate.errors.AwsUnavailableException: throttled")),
                lines.toString());
    }

    @Test
    void thePostPromotionWatchIsAPhaseOfItsOwnWithItsLastTick() {
        Histories history = new Histories("checkout-v42", 10, 100)
                .shifted(0, 10)
                .tick("PASS", "error-rate", "ok", "PROMOTE", "step 1/2 (10 %) passed")
                .exited("Promote", "outcome", "{\"status\":\"RUNNING\",\"canaryPercent\":100,\"watchSeconds\":600}")
                .entered("WaitForWatchTick");

        RolloutProgress first = RolloutProgress.from(history.events());
        assertTrue(first.isWatching());
        assertEquals(
                "step 1/2 at 100 %: promoted, watching the new version at 100 % against the old version's history (first tick)",
                first.summary());

        history.exited(
                        TickOutputs.WATCH,
                        "watchTick",
                        "{\"action\":\"CONTINUE_WATCHING\",\"reason\":\"watching 30 s of 600 s\","
                                + "\"decidedBy\":\"judge\"}")
                .entered("WaitForWatchTick");
        assertEquals(
                "step 1/2 at 100 %: promoted, watching the new version at 100 % against the old version's history "
                        + "(watching 30 s of 600 s)",
                RolloutProgress.from(history.events()).summary());

        history.entered("DescribeRollbackAfterPromotion");
        assertFalse(RolloutProgress.from(history.events()).isWatching());
        assertEquals(
                "step 1/2 at 100 %: rolling back after the promotion: the watch found the new version unhealthy",
                RolloutProgress.from(history.events()).summary());
    }
}
