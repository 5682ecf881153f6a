package dev.tollgate.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.UnexpectedFailureException;
import dev.tollgate.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** Every line a function logs is one JSON object carrying the invocation's correlation keys. */
@ResourceLock(Resources.SYSTEM_OUT)
class JsonHandlerLoggingTest {

    private static final String EVENT = """
            {"execution": {"arn": "arn:aws:states:eu-west-1:123456789012:execution:tollgate-deployment:checkout-v42",
                           "state": "ShiftTraffic", "retryCount": 0},
             "spec": {"deploymentId": "checkout-v42", "service": "checkout"}, "stepIndex": 1}""";

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream console;

    /** A handler that logs one line, or fails the way a bug would. */
    static final class Working extends JsonHandler<JsonNode, JsonNode> {
        private static final Logger LOG = LogManager.getLogger(Working.class);
        private final boolean bug;

        Working(boolean bug) {
            super(JsonNode.class);
            this.bug = bug;
        }

        @Override
        protected JsonNode handle(JsonNode input, Context context) {
            if (bug) {
                throw new IllegalStateException("a bug");
            }
            LOG.info("shifting");
            return Json.MAPPER.createObjectNode().put("ok", true);
        }
    }

    /** A handler whose AWS call logs a warning the way the SDK does: through SLF4J 1.7, the SDK's logging API. */
    static final class WarnedBySdk extends JsonHandler<JsonNode, JsonNode> {
        private static final software.amazon.awssdk.utils.Logger SDK_LOG =
                software.amazon.awssdk.utils.Logger.loggerFor("software.amazon.awssdk.request");

        WarnedBySdk() {
            super(JsonNode.class);
        }

        @Override
        protected JsonNode handle(JsonNode input, Context context) {
            SDK_LOG.warn(() -> "Received a throttling error; retrying");
            return Json.MAPPER.createObjectNode().put("ok", true);
        }
    }

    @BeforeEach
    void captureOutputAtInfo() {
        console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Configurator.setRootLevel(Level.INFO);
    }

    @AfterEach
    void restore() {
        Configurator.setRootLevel(Level.OFF);
        System.setOut(console);
    }

    private List<JsonNode> lines() {
        // Tollgate's lines (and the test's own); the X-Ray SDK says once at INFO which context-missing strategy it
        // uses.
        return printed.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(line -> !line.isBlank())
                .map(Json::tree)
                .filter(line -> !line.path("logger").asText().startsWith("com.amazonaws.xray"))
                .toList();
    }

    private static void invoke(JsonHandler<?, ?> handler) throws Exception {
        handler.handleRequest(
                new ByteArrayInputStream(EVENT.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
    }

    @Test
    void aLogLineCarriesTheDeploymentServiceExecutionStateAndStep() throws Exception {
        invoke(new Working(false));
        LogManager.getLogger("after").info("outside an invocation");

        List<JsonNode> lines = lines();
        assertEquals(2, lines.size(), printed.toString(StandardCharsets.UTF_8));
        JsonNode line = lines.get(0);
        assertEquals("INFO", line.path("level").asText());
        assertEquals("shifting", line.path("message").asText());
        assertEquals("checkout-v42", line.path("deploymentId").asText());
        assertEquals("checkout", line.path("service").asText());
        assertEquals(
                "arn:aws:states:eu-west-1:123456789012:execution:tollgate-deployment:checkout-v42",
                line.path("executionArn").asText());
        assertEquals("ShiftTraffic", line.path("state").asText());
        assertEquals("1", line.path("stepIndex").asText());
        assertFalse(lines.get(1).has("deploymentId"), "the keys leave with the invocation: " + lines.get(1));
    }

    @Test
    void theSdksOwnLogLinesAreJsonLinesWithTheInvocationsKeys() throws Exception {
        invoke(new WarnedBySdk());

        List<JsonNode> lines = lines();
        assertEquals(1, lines.size(), printed.toString(StandardCharsets.UTF_8));
        assertEquals("WARN", lines.get(0).path("level").asText());
        assertEquals(
                "software.amazon.awssdk.request", lines.get(0).path("logger").asText());
        assertEquals(
                "Received a throttling error; retrying",
                lines.get(0).path("message").asText());
        assertEquals("checkout-v42", lines.get(0).path("deploymentId").asText());
        assertEquals("ShiftTraffic", lines.get(0).path("state").asText());
    }

    @Test
    void anUnexpectedFailureIsLoggedOnceAsAnErrorWithItsStackTrace() {
        assertThrows(UnexpectedFailureException.class, () -> invoke(new Working(true)));

        List<JsonNode> lines = lines();
        assertEquals(1, lines.size(), printed.toString(StandardCharsets.UTF_8));
        assertEquals("ERROR", lines.get(0).path("level").asText());
        assertEquals(
                "java.lang.IllegalStateException",
                lines.get(0).path("error").path("type").asText());
        assertTrue(lines.get(0).path("error").path("stackTrace").asText().contains("JsonHandlerLoggingTest"));
        assertEquals("checkout-v42", lines.get(0).path("deploymentId").asText());
    }
}
