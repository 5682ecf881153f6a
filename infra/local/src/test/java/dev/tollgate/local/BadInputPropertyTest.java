package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.budget.ErrorBudgetService;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.deployment.LockService;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.TollgateException;
import dev.tollgate.errors.UnexpectedFailureException;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.fakes.FakeMetricSource;
import dev.tollgate.fakes.FakeSmokeTarget;
import dev.tollgate.fakes.FakeTrafficRouter;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryTrafficLedger;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.functions.approval.ApprovalHandler;
import dev.tollgate.functions.budget.CheckErrorBudgetHandler;
import dev.tollgate.functions.canary.DeployCanaryHandler;
import dev.tollgate.functions.decide.DecideHandler;
import dev.tollgate.functions.finalize.FinalizeHandler;
import dev.tollgate.functions.lock.DeploymentLockHandler;
import dev.tollgate.functions.shift.ShiftTrafficHandler;
import dev.tollgate.functions.validate.ValidateRequestHandler;
import dev.tollgate.json.Json;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.rollout.CanaryService;
import dev.tollgate.rollout.DecisionService;
import dev.tollgate.rollout.FinalizeService;
import dev.tollgate.rollout.ShiftService;
import dev.tollgate.smoke.SmokeTestService;
import dev.tollgate.traffic.TrafficControl;
import dev.tollgate.watch.PostPromotionWatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random and malformed events at every handler: each must end in a result or a structured
 * Tollgate error (no stack trace, no "unexpected failure"), and an event refused as bad must
 * have changed nothing.
 */
class BadInputPropertyTest {

    private static final AtomicLong TRIED = new AtomicLong();

    /** A handler wired to fresh fakes, so a test can see whether it touched anything. */
    private record Wired(RequestStreamHandler handler, InMemoryDeploymentStore store, FakeTrafficRouter router) {

        boolean untouched() {
            return router.calls().isEmpty()
                    && store.find("checkout-2026-11-24-v42").isEmpty();
        }
    }

    private static final Map<String, String> SAMPLES = Map.ofEntries(
            Map.entry("validate-request.json", "validate"),
            Map.entry("deployment-lock-acquire.json", "lock"),
            Map.entry("check-error-budget.json", "budget"),
            Map.entry("deploy-canary.json", "canary"),
            Map.entry("deploy-canary-check-health.json", "canary"),
            Map.entry("shift-traffic.json", "shift"),
            Map.entry("decide.json", "decide"),
            Map.entry("approval.json", "approval"),
            Map.entry("finalize-promote.json", "finalize"),
            Map.entry("finalize-rollback-after-failure.json", "finalize"),
            Map.entry("finalize-dry-run.json", "finalize"));

    private static Wired wire(String function) {
        InMemoryDeploymentStore store = new InMemoryDeploymentStore();
        FakeTrafficRouter router = new FakeTrafficRouter();
        FakeMetricSource metrics = new FakeMetricSource();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:30:00Z"));
        TrafficControl traffic = new TrafficControl(router, new InMemoryTrafficLedger());
        RequestStreamHandler handler = switch (function) {
            case "validate" -> new ValidateRequestHandler(new FunctionEnvironment(Map.of()));
            case "lock" -> new DeploymentLockHandler(new LockService(store, clock));
            case "budget" -> new CheckErrorBudgetHandler(new ErrorBudgetService(metrics, store, clock));
            case "canary" ->
                new DeployCanaryHandler(
                        new CanaryService(traffic, store, clock),
                        new SmokeTestService(
                                traffic,
                                new FakeSmokeTarget(),
                                new FakeSmokeTarget(),
                                new FakeSmokeTarget(),
                                store,
                                clock,
                                pause -> {},
                                DeploymentEvents.NONE),
                        15);
            case "shift" -> new ShiftTrafficHandler(new ShiftService(traffic, store, clock), 15);
            case "decide" ->
                new DecideHandler(
                        new DecisionService(
                                new AnalysisService(metrics, new SequentialJudge(), clock),
                                store,
                                new DecisionPolicy(),
                                clock),
                        new PostPromotionWatch(metrics, new SequentialJudge(), store, clock, DeploymentEvents.NONE));
            case "approval" -> new ApprovalHandler(store, clock);
            case "finalize" -> new FinalizeHandler(new FinalizeService(traffic, store, clock, 15));
            default -> throw new IllegalArgumentException(function);
        };
        return new Wired(handler, store, router);
    }

    @Property(tries = 3000)
    void mutatedSampleEventsEndInAResultOrAStructuredError(
            @ForAll("mutatedEvents") Map.Entry<String, String> sampleAndEvent) {
        checkOne(SAMPLES.get(sampleAndEvent.getKey()), sampleAndEvent.getValue());
    }

    @Property(tries = 1500)
    void arbitraryJsonEndsInAStructuredError(
            @ForAll("functions") String function, @ForAll("arbitraryJson") String event) {
        checkOne(function, event);
    }

    @Property(tries = 300)
    void bytesThatAreNotJsonAreRefusedAsBadRequests(
            @ForAll("functions") String function, @ForAll("garbage") String event) {
        Wired wired = wire(function);
        TollgateException failure = invokeExpectingFailure(wired, event);
        assertTrue(
                failure instanceof BadRequestException || failure instanceof InvalidSpecException, failure.toString());
        assertTrue(wired.untouched());
    }

    private static void checkOne(String function, String event) {
        TRIED.incrementAndGet();
        Wired wired = wire(function);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            wired.handler()
                    .handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, null);
            Json.tree(output.toString(StandardCharsets.UTF_8));
        } catch (TollgateException failure) {
            assertFalse(
                    failure instanceof UnexpectedFailureException,
                    () -> function + " failed unexpectedly on " + event + ": " + failure);
            assertEquals(0, failure.getStackTrace().length);
            assertFalse(failure.getMessage() == null || failure.getMessage().contains("\tat "), failure.getMessage());
            if (failure instanceof BadRequestException || failure instanceof InvalidSpecException) {
                assertTrue(wired.untouched(), () -> function + " changed something before refusing " + event);
            }
        } catch (IOException | RuntimeException other) {
            throw new AssertionError(function + " threw " + other + " on " + event, other);
        }
    }

    private static TollgateException invokeExpectingFailure(Wired wired, String event) {
        try {
            wired.handler()
                    .handleRequest(
                            new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                            new ByteArrayOutputStream(),
                            null);
        } catch (TollgateException failure) {
            return failure;
        } catch (IOException | RuntimeException other) {
            throw new AssertionError("threw " + other, other);
        }
        throw new AssertionError("accepted " + event);
    }

    @Provide
    Arbitrary<String> functions() {
        return Arbitraries.of(List.copyOf(new java.util.TreeSet<>(SAMPLES.values())));
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200).filter(text -> !looksLikeJson(text)),
                Arbitraries.of("{", "[1,", "{\"spec\":", "nul", "{'a':1}", "\u0000", "{\"a\":1}}"));
    }

    private static boolean looksLikeJson(String text) {
        try {
            Json.MAPPER.readTree(text);
            return !text.isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<String> arbitraryJson() {
        return Arbitraries.longs().map(seed -> Json.write(randomJson(new Random(seed), 0)));
    }

    @Provide
    Arbitrary<Map.Entry<String, String>> mutatedEvents() {
        List<String> samples = List.copyOf(new java.util.TreeSet<>(SAMPLES.keySet()));
        return Arbitraries.of(samples)
                .flatMap(sample -> Arbitraries.longs().map(seed -> {
                    JsonNode event = Json.tree(SampleEvents.read(sample));
                    Random random = new Random(seed);
                    int mutations = 1 + random.nextInt(3);
                    for (int i = 0; i < mutations; i++) {
                        event = mutate(event, random);
                    }
                    return Map.entry(sample, Json.write(event));
                }));
    }

    /** Replaces, removes or retypes one node somewhere in the tree. */
    private static JsonNode mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        JsonNode container = containers.get(random.nextInt(containers.size()));
        if (container instanceof ObjectNode object && object.size() > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4)) {
                case 0 -> object.remove(name);
                case 1 -> object.set(name, randomJson(random, 2));
                case 2 -> object.set(name, JsonNodeFactory.instance.nullNode());
                default -> object.set(name, retype(object.get(name), random));
            }
        } else if (container instanceof ArrayNode array && array.size() > 0) {
            int index = random.nextInt(array.size());
            if (random.nextBoolean()) {
                array.remove(index);
            } else {
                array.set(index, randomJson(random, 2));
            }
        }
        return root;
    }

    private static JsonNode retype(JsonNode value, Random random) {
        if (value.isNumber()) {
            return random.nextBoolean()
                    ? JsonNodeFactory.instance.textNode(value.asText())
                    : JsonNodeFactory.instance.numberNode(-value.asDouble() * 1e12);
        }
        if (value.isTextual()) {
            return random.nextBoolean()
                    ? JsonNodeFactory.instance.numberNode(value.asText().length())
                    : JsonNodeFactory.instance.textNode(value.asText() + "\u00e9!" + "x".repeat(random.nextInt(300)));
        }
        return JsonNodeFactory.instance.textNode(value.toString());
    }

    private static void collectContainers(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
                collectContainers(children.next(), containers);
            }
        }
    }

    private static JsonNode randomJson(Random random, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        int kind = random.nextInt(depth > 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> nodes.nullNode();
            case 1 -> nodes.booleanNode(random.nextBoolean());
            case 2 -> nodes.numberNode(random.nextInt(201) - 100);
            case 3 -> nodes.numberNode(random.nextGaussian() * Math.pow(10, random.nextInt(30)));
            case 4 ->
                nodes.textNode(List.of(
                                "",
                                "ECS_ALB",
                                "PROMOTE",
                                "ROLLBACK",
                                "DEPLOY",
                                "2026-11-24T10:00:00Z",
                                "NaN",
                                "checkout",
                                "-1",
                                "x".repeat(random.nextInt(100)))
                        .get(random.nextInt(10)));
            case 5 -> nodes.textNode(Long.toString(random.nextLong()));
            case 6 -> {
                ArrayNode array = nodes.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomJson(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = nodes.objectNode();
                List<String> names = List.of(
                        "spec",
                        "action",
                        "stepIndex",
                        "progress",
                        "verdict",
                        "canary",
                        "service",
                        "deploymentId",
                        "executionArn",
                        "taskToken",
                        "nextStepIndex",
                        "rollback",
                        "reason",
                        "steps",
                        "weight",
                        "target",
                        "analysis");
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(names.get(random.nextInt(names.size())), randomJson(random, depth + 1));
                }
                yield object;
            }
        };
    }

    @AfterContainer
    static void report() {
        System.out.println("bad inputs tried on the handlers: " + TRIED.get());
    }
}
