package dev.tollgate.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.Placed;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SmokeTestSpec;
import dev.tollgate.spec.SmokeTestSpec.HttpProbeSpec;
import dev.tollgate.traffic.ReleasePlan;
import dev.tollgate.traffic.TrafficControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the spec's smoke test against the canary at 0 % traffic, before the first shift. It fails
 * closed: only a PASS answer or an expected status passes; a function error, a timeout, an unreachable
 * endpoint or an answer it cannot read is a failure with what was seen. Tollgate's own AWS failures
 * (the test route cannot be set, AWS is unavailable) are thrown, for the state machine to retry and
 * then roll back. The function's verdict is not retried: a smoke test that passes on a second try
 * has still failed once.
 */
public final class SmokeTestService {

    public static final int MAX_REASON_CHARS = 300;
    static final String ENTRY_ID = "smoke-test";

    /** How the service waits between two probe attempts; tests pass one that only records. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration);
    }

    private final TrafficControl traffic;
    private final TestEndpoints endpoints;
    private final Placed<FunctionInvoker> functions;
    private final HttpProber http;
    private final DeploymentStore store;
    private final Clock clock;
    private final Pause pause;
    private final DeploymentEvents events;

    /** {@code events} hears every smoke test's outcome. */
    public SmokeTestService(
            TrafficControl traffic,
            TestEndpoints endpoints,
            FunctionInvoker functions,
            HttpProber http,
            DeploymentStore store,
            Clock clock,
            Pause pause,
            DeploymentEvents events) {
        this(traffic, endpoints, Placed.everywhere(functions), http, store, clock, pause, events);
    }

    /** With the functions invoked where each deployment's target runs (the team's function, the canary's version). */
    public SmokeTestService(
            TrafficControl traffic,
            TestEndpoints endpoints,
            Placed<FunctionInvoker> functions,
            HttpProber http,
            DeploymentStore store,
            Clock clock,
            Pause pause,
            DeploymentEvents events) {
        this.traffic = traffic;
        this.endpoints = endpoints;
        this.functions = functions;
        this.http = http;
        this.store = store;
        this.clock = clock;
        this.pause = pause;
        this.events = events;
    }

    public SmokeTestResult run(DeploymentSpec spec) {
        SmokeTestSpec smokeTest = spec.smokeTest();
        if (smokeTest == null) {
            throw new BadRequestException("deployment " + spec.deploymentId() + " has no smokeTest in its spec");
        }
        ReleasePlan plan = traffic.plan(spec);
        TestEndpoint endpoint = endpoints.prepare(spec, plan);
        Outcome outcome = smokeTest.function() != null
                ? viaFunction(spec, smokeTest, endpoint)
                : viaProbe(spec, smokeTest.probe(), endpoint);
        Instant now = clock.instant();
        String reason = clip(outcome.reason());
        SmokeTestResult result = new SmokeTestResult(
                outcome.passed(),
                smokeTest.function() != null ? "function" : "probe",
                endpoint.address(),
                reason,
                outcome.attempts(),
                now);
        store.append(
                spec.deploymentId(),
                new TimelineEntry(
                        ENTRY_ID,
                        now,
                        "SmokeTestCanary",
                        (result.passed() ? "smoke test passed at 0 %: " : "smoke test failed at 0 %: ") + reason,
                        null,
                        0,
                        result.passed() ? "PASS" : "FAIL"));
        events.publish(DeploymentEvent.smokeTested(spec.deploymentId(), spec.service(), now, result.passed(), reason));
        return result;
    }

    private record Outcome(boolean passed, String reason, int attempts) {}

    // ---- the team's function ----

    private Outcome viaFunction(DeploymentSpec spec, SmokeTestSpec smokeTest, TestEndpoint endpoint) {
        String function = smokeTest.function();
        int timeoutSeconds = smokeTest.timeoutSeconds() == null
                ? SmokeTestSpec.DEFAULT_FUNCTION_TIMEOUT_SECONDS
                : smokeTest.timeoutSeconds();
        FunctionReply reply =
                functions.at(spec).invoke(function, facts(spec, endpoint), Duration.ofSeconds(timeoutSeconds));
        String who = "smoke-test function " + function;
        return switch (reply.kind()) {
            case FUNCTION_ERROR -> new Outcome(false, who + " failed: " + reply.detail(), 1);
            case TIMED_OUT -> new Outcome(false, who + " did not answer within " + timeoutSeconds + "s", 1);
            case UNREACHABLE -> new Outcome(false, who + " could not be invoked: " + reply.detail(), 1);
            case ANSWERED -> verdict(who, reply.payload());
        };
    }

    /** What the team's function is invoked with: the deployment's facts and where the canary answers (docs/operations.md). */
    static String facts(DeploymentSpec spec, TestEndpoint endpoint) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("deploymentId", spec.deploymentId());
        facts.put("service", spec.service());
        facts.put(
                "targetType",
                Json.MAPPER.valueToTree(spec.target()).path("type").asText());
        facts.put("release", endpoint.release());
        facts.put("stepIndex", 0);
        facts.put("canaryWeight", 0);
        facts.put("endpoint", endpoint);
        return Json.write(facts);
    }

    private static Outcome verdict(String who, String payload) {
        JsonNode answer;
        try {
            answer = Json.tree(payload);
        } catch (RuntimeException notJson) {
            answer = null;
        }
        String expected = " (expected {\"result\": \"PASS\" | \"FAIL\", \"reason\": \"...\"})";
        if (answer == null || !answer.isObject() || !answer.path("result").isTextual()) {
            // The answer itself is not repeated: it is the team's output and could hold anything.
            return new Outcome(false, who + " answered something that is not a verdict" + expected, 1);
        }
        String reason =
                answer.path("reason").isTextual() ? answer.path("reason").asText() : "no reason given";
        return switch (answer.path("result").asText()) {
            case "PASS" -> new Outcome(true, who + " answered PASS: " + reason, 1);
            case "FAIL" -> new Outcome(false, who + " answered FAIL: " + reason, 1);
            default -> new Outcome(false, who + " answered an unknown result" + expected, 1);
        };
    }

    // ---- Tollgate's probe ----

    private Outcome viaProbe(DeploymentSpec spec, HttpProbeSpec probe, TestEndpoint endpoint) {
        List<String> seen = new ArrayList<>();
        Duration timeout = Duration.ofSeconds(probe.timeoutSeconds());
        for (int attempt = 1; attempt <= probe.attempts(); attempt++) {
            ProbeReply reply = endpoint.url() != null
                    ? http.get(endpoint.url() + probe.path(), timeout)
                    : invokeWithRequest(functions.at(spec), endpoint.functionArn(), probe.path(), timeout);
            if (reply.answered() && probe.expectedStatuses().contains(reply.status())) {
                return new Outcome(
                        true,
                        "GET " + probe.path() + " on " + endpoint.address() + " answered " + reply.status()
                                + " on attempt " + attempt + " of " + probe.attempts(),
                        attempt);
            }
            seen.add(reply.detail());
            if (attempt < probe.attempts()) {
                pause.pause(Duration.ofSeconds(HttpProbeSpec.PAUSE_SECONDS));
            }
        }
        return new Outcome(
                false,
                "GET " + probe.path() + " on " + endpoint.address() + " answered " + String.join(", ", seen)
                        + " in " + probe.attempts() + " attempt" + (probe.attempts() == 1 ? "" : "s") + " (expected "
                        + String.join(
                                " or ",
                                probe.expectedStatuses().stream()
                                        .map(String::valueOf)
                                        .toList()) + ")",
                probe.attempts());
    }

    /**
     * A Lambda version has no URL: the probe invokes it with the request an ALB would send
     * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html)
     * and reads the {@code statusCode} of its answer.
     */
    private static ProbeReply invokeWithRequest(
            FunctionInvoker function, String functionArn, String path, Duration timeout) {
        FunctionReply reply = function.invoke(functionArn, albRequest(path), timeout);
        return switch (reply.kind()) {
            case FUNCTION_ERROR -> ProbeReply.unreachable("a function error (" + reply.detail() + ")");
            case TIMED_OUT -> ProbeReply.unreachable("no answer within " + timeout.toSeconds() + "s");
            case UNREACHABLE -> ProbeReply.unreachable("no invocation (" + reply.detail() + ")");
            case ANSWERED -> statusCode(reply.payload());
        };
    }

    static String albRequest(String pathAndQuery) {
        int question = pathAndQuery.indexOf('?');
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.putObject("requestContext").putObject("elb").put("targetGroupArn", "tollgate-smoke-test");
        request.put("httpMethod", "GET");
        request.put("path", question < 0 ? pathAndQuery : pathAndQuery.substring(0, question));
        ObjectNode query = request.putObject("queryStringParameters");
        if (question >= 0) {
            for (String pair : pathAndQuery.substring(question + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int equals = pair.indexOf('=');
                    query.put(
                            equals < 0 ? pair : pair.substring(0, equals),
                            equals < 0 ? "" : pair.substring(equals + 1));
                }
            }
        }
        request.putObject("headers").put("user-agent", "tollgate-smoke-test");
        request.put("body", "");
        request.put("isBase64Encoded", false);
        return Json.write(request);
    }

    private static ProbeReply statusCode(String payload) {
        try {
            JsonNode status = Json.tree(payload).path("statusCode");
            if (status.canConvertToInt() && status.asInt() >= 100 && status.asInt() <= 599) {
                return ProbeReply.status(status.asInt());
            }
        } catch (RuntimeException notJson) {
            // falls through: an answer without a status is no answer
        }
        return ProbeReply.unreachable("an answer without a statusCode");
    }

    private static String clip(String reason) {
        String oneLine = reason.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() <= MAX_REASON_CHARS ? oneLine : oneLine.substring(0, MAX_REASON_CHARS - 1) + "…";
    }
}
