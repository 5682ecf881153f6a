package dev.tollgate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.cli.report.RolloutReport.Chart;
import dev.tollgate.cli.report.RolloutReport.Check;
import dev.tollgate.cli.report.RolloutReport.DecisionPoint;
import dev.tollgate.cli.report.RolloutReport.Migrations;
import dev.tollgate.cli.report.RolloutReport.Point;
import dev.tollgate.cli.report.RolloutReport.SecretPin;
import dev.tollgate.cli.report.RolloutReport.StateSpan;
import dev.tollgate.cli.report.RolloutReport.Step;
import dev.tollgate.deployment.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportPageTest {

    private static final Instant T0 = Instant.parse("2026-11-24T11:00:00Z");

    static RolloutReport rolledBack() {
        Step step = new Step(
                0,
                10,
                T0.plusSeconds(10),
                35,
                T0.plusSeconds(30),
                List.of(new Chart(
                        "error-rate",
                        "%",
                        List.of(new Point(T0.plusSeconds(15), 7.4)),
                        List.of(new Point(T0.plusSeconds(15), 1.2)))),
                List.of(new DecisionPoint(
                        T0.plusSeconds(25),
                        "FAIL",
                        "ROLLBACK",
                        "judge",
                        "error-rate <regressed> & more",
                        List.of(new Check(
                                "error-rate", "FAIL", "canary 7.4% vs 1.2%", Map.of("canaryRate", 0.074), false)))));
        return new RolloutReport(
                "checkout-v42",
                "checkout",
                "ROLLED_BACK",
                "step 1/3 failed </script><script>alert(1)</script>",
                "arn:aws:states:eu-west-1:123456789012:execution:tollgate-deployment:checkout-v42",
                T0,
                T0.plusSeconds(31),
                5,
                List.of(
                        new StateSpan("ShiftTraffic", T0.plusSeconds(9), T0.plusSeconds(10), null),
                        new StateSpan("RolledBack", T0.plusSeconds(31), null, "RolledBack: step 1/3 failed")),
                List.of(new TimelineEntry("locked", T0, "Lock", "took the lock", null, null, null)),
                List.of(step),
                new Migrations("FLYWAY", "applied 2 migrations", List.of("V1__create_orders.sql")),
                List.of(new SecretPin("checkout/db", "edcd06b6")),
                T0.plusSeconds(60));
    }

    @Test
    void thePageNeedsNothingFromTheNetwork() {
        String html = ReportPage.html(rolledBack());
        assertFalse(
                Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find(),
                "no external resource");
        assertFalse(html.contains("@import"));
        assertTrue(html.contains("<script type=\"application/json\" id=\"report-data\">"));
    }

    @Test
    void textFromTheDeploymentIsEscapedInTheMarkupAndInTheData() {
        String html = ReportPage.html(rolledBack());
        assertFalse(html.contains("<script>alert(1)"), "a reason cannot open a script");
        assertTrue(html.contains("error-rate &lt;regressed&gt; &amp; more"));
        assertTrue(
                html.contains("\\u003c/script>\\u003cscript>alert(1)"),
                "the inline data cannot close or open a script element");
    }

    @Test
    void theReleaseShowsMigrationsAndPinnedSecretIdsAndTheChartsHaveTheirPlaces() {
        String html = ReportPage.html(rolledBack());
        assertTrue(html.contains("V1__create_orders.sql"));
        assertTrue(html.contains("<code>checkout/db</code></td><td><code>edcd06b6</code>"));
        assertTrue(html.contains("<svg class=\"chart\""));
        assertTrue(html.contains("canaryRate=0.07400"), html);
    }

    @Test
    void aStepsRoundsOfBakingAndJudgingAreOneRowOfTheTimeline() {
        List<StateSpan> spans = List.of(
                new StateSpan("ShiftTraffic", T0, T0.plusSeconds(1), null),
                new StateSpan("Bake", T0.plusSeconds(1), T0.plusSeconds(6), null),
                new StateSpan("Decide", T0.plusSeconds(6), T0.plusSeconds(7), null),
                new StateSpan("RouteDecision", T0.plusSeconds(7), T0.plusSeconds(8), null),
                new StateSpan("Bake", T0.plusSeconds(8), T0.plusSeconds(13), null),
                new StateSpan("Decide", T0.plusSeconds(13), T0.plusSeconds(14), null),
                new StateSpan("RouteDecision", T0.plusSeconds(14), T0.plusSeconds(15), null),
                new StateSpan("Promote", T0.plusSeconds(15), T0.plusSeconds(16), null));

        List<StateSpan> rows = ReportPage.collapseLoops(spans);

        assertEquals(
                List.of("ShiftTraffic", "Bake → Decide → RouteDecision × 2", "Promote"),
                rows.stream().map(StateSpan::name).toList());
        assertEquals(
                new StateSpan("Bake → Decide → RouteDecision × 2", T0.plusSeconds(1), T0.plusSeconds(15), null),
                rows.get(1));
    }
}
