package dev.tollgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.events.DeploymentEvent.RollbackReason;
import dev.tollgate.json.Json;
import dev.tollgate.judge.CheckVerdict;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeploymentEventTest {

    private static final String ID = "checkout-2026-11-24-v42";
    private static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:tollgate-deployment:" + ID;
    private static final Instant T0 = Instant.parse("2026-11-24T11:00:00Z");

    static StepVerdict failVerdict(Instant at) {
        Map<String, Double> numbers = new HashMap<>();
        numbers.put("canaryRate", 0.074);
        numbers.put("baselineRate", 0.012);
        numbers.put("rateRatioUpperBound", Double.POSITIVE_INFINITY);
        return new StepVerdict(
                Verdict.FAIL,
                "error-rate regressed",
                List.of(
                        new CheckVerdict(
                                "error-rate",
                                CheckVerdict.CheckKind.METRIC,
                                Verdict.FAIL,
                                "regression: canary 7.4% vs baseline 1.2%",
                                numbers),
                        new CheckVerdict(
                                "checkout-canary-errors",
                                CheckVerdict.CheckKind.ALARM,
                                Verdict.PASS,
                                "alarm OK",
                                null)),
                true,
                at);
    }

    static List<DeploymentEvent> everyKind() {
        List<DeploymentEvent> events = new ArrayList<>();
        events.add(DeploymentEvent.started(ID, "checkout", EXECUTION, T0));
        events.add(DeploymentEvent.stepShifted(ID, "checkout", T0.plusSeconds(5), 0, 3, 10));
        events.add(DeploymentEvent.stepVerdict(
                ID,
                "checkout",
                T0.plusSeconds(20),
                0,
                3,
                10,
                failVerdict(T0.plusSeconds(19)),
                "ROLLBACK",
                "judge",
                "step 1/3 (10 %) failed",
                T0.plusSeconds(5)));
        events.add(
                DeploymentEvent.smokeTested(
                        ID,
                        "checkout",
                        T0.plusSeconds(3),
                        false,
                        "GET /health on http://prod-1.eu-west-1.elb.amazonaws.com:8443 answered HTTP 503 in 1 attempt (expected 200)"));
        events.add(DeploymentEvent.awaitingApproval(ID, "checkout", T0.plusSeconds(30), 1, "step 1 passed"));
        events.add(DeploymentEvent.finished(
                ID, "checkout", T0.plusSeconds(40), "PROMOTED", "all steps passed", null, 100, T0));
        events.add(DeploymentEvent.finished(
                ID, "checkout", T0.plusSeconds(40), "ROLLED_BACK", "aborted by alice", RollbackReason.OPERATOR, 0, T0));
        events.add(DeploymentEvent.finished(
                ID, "checkout", T0.plusSeconds(40), "FAILED", "ShiftTraffic failed", RollbackReason.FAILURE, 0, T0));
        events.add(DeploymentEvent.finished(
                ID,
                "checkout",
                T0.plusSeconds(40),
                "MANUAL_INTERVENTION_REQUIRED",
                "rollback failed",
                RollbackReason.FAILURE,
                -1,
                T0));
        events.add(DeploymentEvent.watchVerdict(
                ID,
                "checkout",
                T0.plusSeconds(70),
                failVerdict(T0.plusSeconds(69)),
                "ROLLBACK",
                "judge",
                "rolled back after the promotion: the watch failed the new version at 100 % after 25 s",
                25));
        events.add(DeploymentEvent.rolledBackAfterPromotion(
                ID,
                "checkout",
                T0.plusSeconds(70),
                "rolled back after the promotion: the watch failed the new version at 100 % after 25 s",
                "judge",
                25));
        events.add(DeploymentEvent.finished(
                ID,
                "checkout",
                T0.plusSeconds(12),
                "DRY_RUN",
                "dry run: nothing deployed, no traffic moved; "
                        + "would apply 1 migration on app@db:5432/checkout: 3 add discount code (V3__add_discount_code.sql)",
                null,
                0,
                T0));
        List<DeploymentEvent.TargetFact> targets = List.of(
                new DeploymentEvent.TargetFact(ID + "-w2-1", "eu-west-1", "PROMOTED", null),
                new DeploymentEvent.TargetFact(
                        ID + "-w2-2", "us-west-2", "NOT_PROMOTED", "RolledBack: error-rate FAIL"));
        events.add(DeploymentEvent.release(
                DeploymentEvent.Type.WAVE_STARTED,
                "checkout",
                null,
                T0,
                "RUNNING",
                "wave 2 of 2 started",
                new DeploymentEvent.ReleaseFact(ID, 2, 2, "ROLLBACK_ALL", targets),
                T0));
        events.add(DeploymentEvent.release(
                DeploymentEvent.Type.WAVE_PROMOTED,
                "checkout",
                null,
                T0,
                "PROMOTED",
                "wave 1 of 2 promoted",
                new DeploymentEvent.ReleaseFact(ID, 1, 2, "ROLLBACK_ALL", targets.subList(0, 1)),
                T0));
        events.add(DeploymentEvent.release(
                DeploymentEvent.Type.RELEASE_HALTED,
                "checkout",
                null,
                T0.plusSeconds(90),
                "HALTING",
                "wave 2 failed",
                new DeploymentEvent.ReleaseFact(ID, null, 2, "ROLLBACK_ALL", targets),
                T0));
        events.add(DeploymentEvent.release(
                DeploymentEvent.Type.RELEASE_PROMOTED,
                "checkout",
                null,
                T0.plusSeconds(900),
                "PROMOTED",
                "every wave promoted",
                new DeploymentEvent.ReleaseFact(ID, null, 2, "STOP", targets.subList(0, 1)),
                T0));
        return events;
    }

    @Test
    void everyKindOfEventConformsToThePublishedSchema() {
        for (DeploymentEvent event : everyKind()) {
            // The fan-out adds the invocation's execution; the service is the fact's own.
            DeploymentEvent complete = event.withCorrelation(EXECUTION, null);
            assertEquals(
                    List.of(),
                    EventSchema.violations(Json.write(complete)),
                    event.type() + ": " + Json.write(complete));
        }
        assertEquals(
                EnumSet.allOf(DeploymentEvent.Type.class),
                everyKind().stream()
                        .map(DeploymentEvent::type)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(DeploymentEvent.Type.class))),
                "every type is checked");
    }

    @Test
    void theSchemaRequiresTheCorrelationFieldsOfEveryType() {
        for (DeploymentEvent event : everyKind()) {
            for (String field : List.of("deploymentId", "service", "executionArn")) {
                ObjectNode detail = (ObjectNode) Json.tree(Json.write(event.withCorrelation(EXECUTION, null)));
                detail.remove(field);
                assertFalse(EventSchema.violations(Json.write(detail)).isEmpty(), event.type() + " without " + field);
            }
        }
    }

    @Test
    void theSchemaRefusesAnEventMissingWhatItsTypeNeeds() {
        String verdictWithoutChecks = Json.write(DeploymentEvent.stepVerdict(
                        ID, "checkout", T0, 0, 3, 10, failVerdict(T0), "ROLLBACK", "judge", "failed", T0))
                .replace("\"checks\"", "\"checkz\"");
        assertFalse(EventSchema.violations(verdictWithoutChecks).isEmpty());
    }

    @Test
    void aDryRunIsItsOwnFactWithNothingOnTheCanary() {
        DeploymentEvent dryRun = DeploymentEvent.finished(
                ID, "checkout", T0.plusSeconds(12), "DRY_RUN", "dry run: nothing deployed", null, 0, T0);

        assertEquals(DeploymentEvent.Type.DRY_RUN, dryRun.type());
        assertEquals("Deployment Dry Run", dryRun.type().detailType());
        assertEquals(ID + ":dry_run", dryRun.eventId());
        String withRollbackReason = Json.write(
                DeploymentEvent.finished(ID, "checkout", T0, "DRY_RUN", "dry run", RollbackReason.FAILURE, 0, T0)
                        .withCorrelation(EXECUTION, "checkout"));
        assertFalse(EventSchema.violations(withRollbackReason).isEmpty(), "a dry run rolled nothing back");
    }

    @Test
    void aRetriedFunctionTellsTheSameFactUnderTheSameEventId() {
        DeploymentEvent first = DeploymentEvent.stepShifted(ID, "checkout", T0, 1, 3, 50);
        DeploymentEvent retried = DeploymentEvent.stepShifted(ID, "checkout", T0.plusSeconds(3), 1, 3, 50);
        assertEquals(first.eventId(), retried.eventId());
        DeploymentEvent tick = DeploymentEvent.stepVerdict(
                ID,
                "checkout",
                T0.plusSeconds(20),
                0,
                3,
                10,
                failVerdict(T0.plusSeconds(19)),
                "ROLLBACK",
                "judge",
                "failed",
                T0);
        DeploymentEvent nextTick = DeploymentEvent.stepVerdict(
                ID,
                "checkout",
                T0.plusSeconds(26),
                0,
                3,
                10,
                failVerdict(T0.plusSeconds(25)),
                "ROLLBACK",
                "judge",
                "failed",
                T0);
        assertNotEquals(tick.eventId(), nextTick.eventId(), "each analysis tick is its own fact");
    }

    @Test
    void timeToDecisionCountsFromTheStepsStartAndOnlyWhenTheBakeEnds() {
        DeploymentEvent decided = DeploymentEvent.stepVerdict(
                ID,
                "checkout",
                T0.plusSeconds(47),
                0,
                3,
                10,
                failVerdict(T0),
                "ROLLBACK",
                "judge",
                "failed",
                T0.plusSeconds(5));
        DeploymentEvent baking = DeploymentEvent.stepVerdict(
                ID,
                "checkout",
                T0.plusSeconds(47),
                0,
                3,
                10,
                failVerdict(T0),
                "CONTINUE_BAKING",
                "judge",
                "baking",
                T0.plusSeconds(5));
        assertEquals(42L, decided.timeToDecisionSeconds());
        assertNull(baking.timeToDecisionSeconds());
    }

    @Test
    void nonFiniteNumbersOfACheckAreLeftOutSoTheDetailStaysJson() {
        DeploymentEvent event = DeploymentEvent.stepVerdict(
                ID, "checkout", T0, 0, 3, 10, failVerdict(T0), "ROLLBACK", "judge", "failed", T0);
        Map<String, Double> numbers = event.checks().get(0).numbers();
        assertEquals(Map.of("baselineRate", 0.012, "canaryRate", 0.074), numbers);
    }
}
