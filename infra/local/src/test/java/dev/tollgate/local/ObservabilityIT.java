package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.cli.report.ReportPage;
import dev.tollgate.cli.report.RolloutReport;
import dev.tollgate.events.EventSchema;
import dev.tollgate.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What happened, seen from outside, for a rolled-back and a promoted deployment on the local stack:
 * the functions' JSON log lines with their correlation keys, the EMF metric lines, the events a
 * consumer of the bus receives (a rule to an SQS queue, checked against docs/events.schema.json), and the rollout report as
 * a real browser draws it (its screenshots are kept in target/reports).
 */
@Execution(ExecutionMode.CONCURRENT)
class ObservabilityIT {

    private static final Path REPORTS = Path.of("target", "reports");
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    private static ScenarioRun.Result run(Scenario scenario, String service) throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ScenarioRun.Result result = new ScenarioRun(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(scenario, service, 7);
        System.out.println(printed.toString(StandardCharsets.UTF_8));
        return result;
    }

    @Test
    void aRolledBackDeploymentIsToldInLogsMetricsEventsAndItsReport() throws Exception {
        String service = Deployments.newService("obs-bad");
        BusSubscription bus = BusSubscription.toService(stack, service);
        ScenarioRun.Result result = run(Scenario.BAD_ERRORS, service);
        String deploymentId = result.outcome().deploymentId();
        assertEquals("ROLLED_BACK", result.outcome().status(), result.outcome().toString());

        List<JsonNode> logLines = functionLines(deploymentId, false);
        assertFalse(logLines.isEmpty(), "the functions logged the deployment");
        for (JsonNode line : logLines) {
            for (String key : List.of(
                    "timestamp",
                    "level",
                    "message",
                    "deploymentId",
                    "service",
                    "executionArn",
                    "state",
                    "functionName")) {
                assertTrue(line.hasNonNull(key), "every line has " + key + ": " + line);
            }
            assertEquals(result.executionArn(), line.path("executionArn").asText());
        }
        Set<String> loggingFunctions = new TreeSet<>();
        logLines.forEach(line -> loggingFunctions.add(line.path("functionName").asText()));
        assertTrue(
                startedInTheRuntimeInterfaceClient().containsAll(loggingFunctions),
                "every function that logged the deployment started in the runtime interface client: "
                        + loggingFunctions);
        // Every function's JVM started cold for this run writes its whole output to the same log: no SLF4J warning.
        List<String> slf4jWarnings = Files.readAllLines(stack.functionLog(), StandardCharsets.UTF_8).stream()
                .filter(text -> text.startsWith("SLF4J:"))
                .toList();
        assertEquals(
                List.of(), slf4jWarnings, "the SDK's SLF4J logging is bound to the JSON log in every function jar");
        Set<String> messages = new TreeSet<>();
        logLines.forEach(line -> messages.add(line.path("message").asText().replaceAll(":.*", "")));
        assertTrue(
                messages.containsAll(Set.of(
                        "Deployment Started",
                        "Deployment Step Shifted",
                        "Deployment Step Verdict",
                        "Deployment Rolled Back")),
                messages.toString());
        assertTrue(
                logLines.stream()
                        .anyMatch(line -> "Decide".equals(line.path("state").asText())
                                && "0".equals(line.path("stepIndex").asText())),
                "the step is a key of the lines of its tick");

        List<JsonNode> metrics = functionLines(deploymentId, true);
        assertTrue(hasMetric(metrics, "DeploymentsStarted", "[[],[\"Service\"]]"), metrics.toString());
        assertTrue(hasMetric(metrics, "StepsShifted", "[[],[\"Service\"]]"), metrics.toString());
        assertTrue(hasMetric(metrics, "Verdicts", "[[\"Verdict\"],[\"Verdict\",\"Service\"]]"), metrics.toString());
        assertTrue(
                metrics.stream()
                        .anyMatch(metric -> "FAIL".equals(metric.path("Verdict").asText())),
                metrics.toString());
        assertTrue(hasMetric(metrics, "TimeToDecision", "[[],[\"Service\"]]"), metrics.toString());
        assertTrue(
                hasMetric(metrics, "DeploymentsRolledBack", "[[\"Reason\"],[\"Reason\",\"Service\"]]"),
                metrics.toString());
        assertTrue(
                metrics.stream()
                        .anyMatch(
                                metric -> "verdict".equals(metric.path("Reason").asText())),
                metrics.toString());

        List<JsonNode> events = bus.eventsThrough("Deployment Rolled Back");
        List<String> types =
                events.stream().map(event -> event.path("detail-type").asText()).toList();
        assertTrue(
                types.containsAll(List.of(
                        "Deployment Started",
                        "Deployment Step Shifted",
                        "Deployment Step Verdict",
                        "Deployment Rolled Back")),
                types.toString());
        assertFalse(types.contains("Deployment Promoted"), types.toString());
        for (JsonNode event : events) {
            assertEquals("dev.tollgate", event.path("source").asText());
            assertEquals(List.of(), EventSchema.violations(Json.write(event.path("detail"))), event.toString());
            assertEquals(
                    result.executionArn(),
                    event.path("detail").path("executionArn").asText());
        }
        JsonNode rolledBack = events.stream()
                .filter(event -> "Deployment Rolled Back"
                        .equals(event.path("detail-type").asText()))
                .findFirst()
                .orElseThrow()
                .path("detail");
        assertEquals("verdict", rolledBack.path("rollbackReason").asText());
        assertTrue(rolledBack.path("reason").asText().contains("error-rate: regression"), rolledBack.toString());
        String password = result.release().credentials().password();
        assertFalse(events.toString().contains(password), "no secret value on the bus");

        String dom = drawReport(deploymentId, "rolled-back");
        assertTrue(dom.contains("ROLLED_BACK"), "the outcome is shown");
        assertTrue(dom.contains("FAIL"), "the failing verdict is shown");
        assertTrue(dom.contains("V2__add_discount_code.sql"), "the migrations applied are shown");
    }

    @Test
    void aPromotedDeploymentsReportDrawsEveryStepsCanaryAgainstItsBaseline() throws Exception {
        String service = Deployments.newService("obs-good");
        BusSubscription bus = BusSubscription.toService(stack, service);
        ScenarioRun.Result result = run(Scenario.GOOD, service);
        String deploymentId = result.outcome().deploymentId();
        assertEquals("PROMOTED", result.outcome().status(), result.outcome().toString());

        List<JsonNode> events = bus.eventsThrough("Deployment Promoted");
        List<String> types =
                events.stream().map(event -> event.path("detail-type").asText()).toList();
        assertEquals(2, types.stream().filter("Deployment Step Shifted"::equals).count(), types.toString());
        assertTrue(types.contains("Deployment Promoted"), types.toString());
        events.forEach(event ->
                assertEquals(List.of(), EventSchema.violations(Json.write(event.path("detail"))), event.toString()));
        assertTrue(hasMetric(functionLines(deploymentId, true), "DeploymentsPromoted", "[[],[\"Service\"]]"));

        RolloutReport report = stack.rolloutReports().build(deploymentId);
        assertEquals(2, report.steps().size());
        String dom = drawReport(deploymentId, "promoted");
        assertTrue(dom.contains("PROMOTED"));
        assertTrue(dom.contains("Step 2: canary at 50 %"), "both steps are shown");
        assertTrue(dom.contains("<code>" + result.release().secretId() + "</code>"), "the pinned secret's id is shown");
    }

    /** Writes the report, loads it in Chromium, checks every chart drew points of both series; keeps a screenshot. */
    private static String drawReport(String deploymentId, String name) throws IOException, InterruptedException {
        Path page = REPORTS.resolve(name + ".html").toAbsolutePath();
        Files.createDirectories(REPORTS);
        RolloutReport report = stack.rolloutReports().build(deploymentId);
        Files.writeString(page, ReportPage.html(report));
        HeadlessChromium chromium = HeadlessChromium.find();
        Path work = REPORTS.resolve(name + "-chromium").toAbsolutePath();
        String dom = chromium.dumpDom(page, work);
        int charts =
                report.steps().stream().mapToInt(step -> step.charts().size()).sum();
        assertTrue(charts >= 2, "every step has a chart per metric: " + charts);
        assertTrue(dom.contains("data-charts-drawn=\"" + charts + "\""), "the script drew all " + charts + " charts");
        for (String series : List.of("canary", "baseline")) {
            Matcher path = Pattern.compile(
                            "<path class=\"series " + series + "\" d=\"M[0-9.]+ [0-9.]+( L[0-9.]+ [0-9.]+)+\"")
                    .matcher(dom);
            int drawn = 0;
            while (path.find()) {
                drawn++;
            }
            assertTrue(drawn >= 1, "a " + series + " line with several points was drawn");
        }
        assertTrue(dom.contains("class=\"bake-window\""), "the bake window is marked");
        assertTrue(dom.contains("class=\"decision\""), "the decision points are marked");
        chromium.screenshot(page, REPORTS.resolve(name + ".png"), 1280, 2400, work);
        return dom;
    }

    private static boolean hasMetric(List<JsonNode> metrics, String name, String dimensionSets) {
        for (JsonNode metric : metrics) {
            for (JsonNode directive : metric.path("_aws").path("CloudWatchMetrics")) {
                boolean named = false;
                for (JsonNode definition : directive.path("Metrics")) {
                    named |= name.equals(definition.path("Name").asText());
                }
                if (named
                        && "Tollgate".equals(directive.path("Namespace").asText())
                        && dimensionSets.equals(Json.write(directive.path("Dimensions")))
                        && metric.has(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The functions whose JVM the platform's log shows starting under AWS's runtime interface client. */
    private static Set<String> startedInTheRuntimeInterfaceClient() throws IOException {
        Set<String> functions = new TreeSet<>();
        for (String text : Files.readAllLines(stack.functionLog(), StandardCharsets.UTF_8)) {
            if (text.startsWith("{\"time\"")) {
                JsonNode line = Json.tree(text);
                if ("platform.initStart".equals(line.path("type").asText())
                        && line.path("record")
                                .path("runtimeVersion")
                                .asText()
                                .startsWith("aws-lambda-java-runtime-interface-client ")) {
                    functions.add(line.path("record").path("functionName").asText());
                }
            }
        }
        return functions;
    }

    /** The functions' JSON lines about the deployment: log lines, or EMF metric lines. */
    private static List<JsonNode> functionLines(String deploymentId, boolean emf) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String text : Files.readAllLines(stack.functionLog(), StandardCharsets.UTF_8)) {
            if (!text.startsWith("{")) {
                continue;
            }
            JsonNode line = Json.tree(text);
            if (deploymentId.equals(line.path("deploymentId").asText()) && emf == line.has("_aws")) {
                lines.add(line);
            }
        }
        return lines;
    }
}
