package dev.tollgate.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.LockService;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.AwsUnavailableException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.fakes.FakeSmokeTarget;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryTrafficLedger;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.smoke.FunctionReply.Kind;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import dev.tollgate.traffic.TrafficControl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTestServiceTest {

    private static final String FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:checkout-smoke";
    private static final String TEST_LISTENER =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod/50dc6c495c0c9188/0000000000000001";

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final FakeTrafficRouter router = new FakeTrafficRouter();
    private final TrafficControl traffic = new TrafficControl(router, new InMemoryTrafficLedger());
    private final FakeSmokeTarget canary = new FakeSmokeTarget();
    private final List<Duration> pauses = new ArrayList<>();
    private final List<DeploymentEvent> told = new ArrayList<>();
    private final SmokeTestService smokeTests =
            new SmokeTestService(traffic, canary, canary, canary, store, clock, pauses::add, told::add);

    /** The sample ECS_ALB spec with this smoke test, validated, and its canary deployed at 0 %. */
    private DeploymentSpec deployedWith(String smokeTest) {
        ObjectNode request = (ObjectNode) Json.tree(SampleEvents.read("statemachine-ecs-alb.json"));
        request.set("smokeTest", Json.tree(smokeTest));
        DeploymentSpec spec = new SpecValidator().validate(request);
        new LockService(store, clock).acquire(spec.service(), spec.deploymentId(), "execution-1");
        traffic.deploy(spec, PinnedSecrets.NONE);
        return spec;
    }

    private DeploymentSpec withFunction() {
        return deployedWith("{\"function\": \"" + FUNCTION + "\", \"testListenerArn\": \"" + TEST_LISTENER + "\"}");
    }

    private DeploymentSpec withProbe(int attempts) {
        return deployedWith(
                "{\"probe\": {\"path\": \"/health?deep=1\", \"expectedStatuses\": [200, 204], \"attempts\": " + attempts
                        + ", \"timeoutSeconds\": 2}, \"testListenerArn\": \"" + TEST_LISTENER + "\"}");
    }

    @Test
    void passesWhenTheTeamsFunctionAnswersPassAndSendsItTheDeploymentsFactsAndTheTestEndpoint() {
        canary.functionAnswers(FunctionReply.answered("{\"result\": \"PASS\", \"reason\": \"checkout flow ok\"}"));
        DeploymentSpec spec = withFunction();

        SmokeTestResult result = smokeTests.run(spec);

        assertTrue(result.passed(), result.reason());
        assertEquals("smoke-test function " + FUNCTION + " answered PASS: checkout flow ok", result.reason());
        String invocation = canary.invocations().get(0);
        assertTrue(invocation.startsWith(FUNCTION + " "), invocation);
        JsonNode facts = Json.tree(invocation.substring(FUNCTION.length() + 1));
        assertEquals(spec.deploymentId(), facts.path("deploymentId").asText());
        assertEquals("checkout", facts.path("service").asText());
        assertEquals("ECS_ALB", facts.path("targetType").asText());
        assertEquals("checkout:42", facts.path("release").asText());
        assertEquals(0, facts.path("canaryWeight").asInt());
        assertEquals(FakeSmokeTarget.URL, facts.path("endpoint").path("url").asText());
        assertEquals(Duration.ofSeconds(10), canary.timeouts().get(0), "the default function timeout");
        assertEquals(0, router.weights().canaryPercent(), "the smoke test never moves traffic");
    }

    @Test
    void failsWhenTheFunctionAnswersFailWithItsReason() {
        canary.functionAnswers(
                FunctionReply.answered("{\"result\": \"FAIL\", \"reason\": \"POST /orders answered 500\"}"));

        SmokeTestResult result = smokeTests.run(withFunction());

        assertFalse(result.passed());
        assertEquals("smoke-test function " + FUNCTION + " answered FAIL: POST /orders answered 500", result.reason());
    }

    @Test
    void aFunctionErrorIsAFailureNamingTheError() {
        canary.functionAnswers(
                FunctionReply.failed(Kind.FUNCTION_ERROR, "java.lang.IllegalStateException: no database"));

        SmokeTestResult result = smokeTests.run(withFunction());

        assertFalse(result.passed());
        assertEquals(
                "smoke-test function " + FUNCTION + " failed: java.lang.IllegalStateException: no database",
                result.reason());
        assertEquals(1, canary.invocations().size(), "a failed smoke test is not retried into a pass");
    }

    @Test
    void aFunctionThatDoesNotAnswerInTimeIsAFailure() {
        canary.functionAnswers(FunctionReply.failed(Kind.TIMED_OUT, "no answer within 10s"));

        SmokeTestResult result = smokeTests.run(withFunction());

        assertFalse(result.passed());
        assertEquals("smoke-test function " + FUNCTION + " did not answer within 10s", result.reason());
    }

    @Test
    void aFunctionThatCannotBeInvokedIsAFailure() {
        canary.functionAnswers(
                FunctionReply.failed(Kind.UNREACHABLE, "Lambda Invoke failed: AccessDeniedException (HTTP 403)"));

        SmokeTestResult result = smokeTests.run(withFunction());

        assertFalse(result.passed());
        assertTrue(
                result.reason()
                        .endsWith("could not be invoked: Lambda Invoke failed: AccessDeniedException (HTTP 403)"),
                result.reason());
    }

    @Test
    void anAnswerThatIsNotAVerdictIsAFailureAndIsNotRepeated() {
        canary.functionAnswers(FunctionReply.answered("{\"ok\": true, \"token\": \"s3cr3t\"}"));

        SmokeTestResult result = smokeTests.run(withFunction());

        assertFalse(result.passed());
        assertTrue(result.reason().contains("answered something that is not a verdict"), result.reason());
        assertFalse(result.reason().contains("s3cr3t"), "the function's output is not copied into the state");
    }

    @Test
    void aLongReasonIsCutToOneShortLine() {
        canary.functionAnswers(FunctionReply.answered(
                "{\"result\": \"FAIL\", \"reason\": \"line one\\nline two " + "x".repeat(500) + "\"}"));

        SmokeTestResult result = smokeTests.run(withFunction());

        assertEquals(SmokeTestService.MAX_REASON_CHARS, result.reason().length());
        assertFalse(result.reason().contains("\n"));
    }

    @Test
    void theProbePassesOnTheFirstExpectedStatus() {
        canary.probeAnswers(ProbeReply.status(503), ProbeReply.status(204));

        SmokeTestResult result = smokeTests.run(withProbe(3));

        assertTrue(result.passed(), result.reason());
        assertEquals(2, result.attempts());
        assertEquals(
                List.of(FakeSmokeTarget.URL + "/health?deep=1", FakeSmokeTarget.URL + "/health?deep=1"),
                canary.requests());
        assertEquals(List.of(Duration.ofSeconds(1)), pauses, "one pause between the two attempts");
        assertEquals(Duration.ofSeconds(2), canary.timeouts().get(0));
    }

    @Test
    void theProbeFailsAfterEveryAttemptAnsweredWrongSayingWhatItSaw() {
        canary.probeAnswers(ProbeReply.status(503), ProbeReply.status(500), ProbeReply.status(503));

        SmokeTestResult result = smokeTests.run(withProbe(3));

        assertFalse(result.passed());
        assertEquals(
                "GET /health?deep=1 on " + FakeSmokeTarget.URL + " answered HTTP 503, HTTP 500, HTTP 503 in 3 attempts "
                        + "(expected 200 or 204)",
                result.reason());
        assertEquals(2, pauses.size(), "no pause after the last attempt");
    }

    @Test
    void anUnreachableEndpointIsAFailureNeverAPass() {
        canary.probeAnswers(ProbeReply.unreachable("unreachable (ConnectException)"));

        SmokeTestResult result = smokeTests.run(withProbe(2));

        assertFalse(result.passed());
        assertTrue(
                result.reason()
                        .contains(
                                "answered unreachable (ConnectException), unreachable (ConnectException) in 2 attempts"),
                result.reason());
    }

    @Test
    void aLambdaVersionIsProbedWithTheRequestAnAlbWouldSendAndJudgedByItsStatusCode() {
        canary.lambdaVersion().functionAnswers(FunctionReply.answered("{\"statusCode\": 200, \"body\": \"ok\"}"));

        SmokeTestResult result = smokeTests.run(withProbe(1));

        assertTrue(result.passed(), result.reason());
        String invocation = canary.invocations().get(0);
        assertTrue(invocation.startsWith(FakeSmokeTarget.VERSION_ARN + " "), invocation);
        JsonNode request = Json.tree(invocation.substring(FakeSmokeTarget.VERSION_ARN.length() + 1));
        assertEquals("GET", request.path("httpMethod").asText());
        assertEquals("/health", request.path("path").asText());
        assertEquals("1", request.path("queryStringParameters").path("deep").asText());
    }

    @Test
    void aLambdaVersionThatThrowsOrAnswersWithoutAStatusFailsTheProbe() {
        canary.lambdaVersion()
                .functionAnswers(
                        FunctionReply.failed(Kind.FUNCTION_ERROR, "Unhandled: boom"), FunctionReply.answered("\"ok\""));

        SmokeTestResult result = smokeTests.run(withProbe(2));

        assertFalse(result.passed());
        assertTrue(
                result.reason()
                        .contains(
                                "answered a function error (Unhandled: boom), an answer without a statusCode in 2 attempts"),
                result.reason());
    }

    @Test
    void recordsTheOutcomeOnTheDeploymentsTimeline() {
        canary.probeAnswers(ProbeReply.status(500));
        DeploymentSpec spec = withProbe(1);

        smokeTests.run(spec);

        TimelineEntry entry = store.find(spec.deploymentId()).orElseThrow().timeline().stream()
                .filter(line -> line.state().equals("SmokeTestCanary"))
                .findFirst()
                .orElseThrow();
        assertEquals("FAIL", entry.verdict());
        assertEquals(0, entry.canaryWeight());
        assertTrue(entry.message().startsWith("smoke test failed at 0 %: GET /health?deep=1"), entry.message());
        DeploymentEvent event = told.get(0);
        assertEquals(DeploymentEvent.Type.SMOKE_TESTED, event.type());
        assertEquals("FAIL", event.verdict());
        assertEquals(0, event.canaryWeight());
        assertTrue(event.reason().startsWith("GET /health?deep=1"), event.reason());
    }

    @Test
    void tollgatesOwnAwsFailuresAreThrownForTheStateMachineToRetry() {
        DeploymentSpec spec = withFunction();
        SmokeTestService unavailable = new SmokeTestService(
                traffic,
                (s, plan) -> {
                    throw new AwsUnavailableException("ELBv2 ModifyListener failed: Throttling (HTTP 400)");
                },
                canary,
                canary,
                store,
                clock,
                pauses::add,
                told::add);

        assertThrows(AwsUnavailableException.class, () -> unavailable.run(spec));
        assertTrue(canary.invocations().isEmpty(), "no smoke test before the test route is set");
    }
}
