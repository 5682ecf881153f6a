package dev.tollgate.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment a function's code sees is Lambda's: the template's variables, then the reserved ones. */
class FunctionConfigurationTest {

    private static final Path TASK_ROOT = Path.of("/tmp/task");

    @Test
    void addsLambdasReservedVariablesOverTheTemplates() {
        FunctionConfiguration function = function(
                "JSON",
                "DEBUG",
                Map.of("TABLE_NAME", "deployments", "_HANDLER", "set.by.Template", "TZ", "Europe/Paris"));

        Map<String, String> environment = function.lambdaEnvironment(TASK_ROOT);

        assertEquals("deployments", environment.get("TABLE_NAME"));
        // Reserved: a function cannot override them.
        assertEquals("dev.tollgate.Handler::handleRequest", environment.get("_HANDLER"));
        assertEquals(":UTC", environment.get("TZ"));
        assertEquals("DecideFunction", environment.get("AWS_LAMBDA_FUNCTION_NAME"));
        assertEquals("1024", environment.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        assertEquals("AWS_Lambda_java21", environment.get("AWS_EXECUTION_ENV"));
        assertEquals("on-demand", environment.get("AWS_LAMBDA_INITIALIZATION_TYPE"));
        assertEquals("/tmp/task", environment.get("LAMBDA_TASK_ROOT"));
        // JSON logs with an application log level: what Powertools applies to every logger at start-up.
        assertEquals("JSON", environment.get("AWS_LAMBDA_LOG_FORMAT"));
        assertEquals("DEBUG", environment.get("AWS_LAMBDA_LOG_LEVEL"));
        assertEquals("LOG_ERROR", environment.get("AWS_XRAY_CONTEXT_MISSING"));
        // Only a runtime reads where the Runtime API is.
        assertFalse(environment.containsKey("AWS_LAMBDA_RUNTIME_API"));
    }

    @Test
    void textLogsHaveNoLogLevelAndTheTemplateMayChooseTheXrayContextPolicy() {
        Map<String, String> environment = function("Text", "DEBUG", Map.of("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR"))
                .lambdaEnvironment(TASK_ROOT);

        assertFalse(environment.containsKey("AWS_LAMBDA_LOG_FORMAT"));
        assertFalse(environment.containsKey("AWS_LAMBDA_LOG_LEVEL"));
        assertEquals("IGNORE_ERROR", environment.get("AWS_XRAY_CONTEXT_MISSING"));
    }

    @Test
    void refusesWhatLambdaRefuses() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> new FunctionConfiguration("Tiny", "arn", "h", Path.of("f.jar"), 64, 3, "JSON", "", Map.of()));

        assertEquals(
                "Tiny: memory 64 MB and timeout 3 s are outside what Lambda allows (at least 128 MB and 1 s)",
                refused.getMessage());
    }

    private static FunctionConfiguration function(String logFormat, String logLevel, Map<String, String> environment) {
        return new FunctionConfiguration(
                "DecideFunction",
                "arn:aws:lambda:us-east-1:123456789012:function:DecideFunction",
                "dev.tollgate.Handler::handleRequest",
                Path.of("decide.jar"),
                1024,
                30,
                logFormat,
                logLevel,
                environment);
    }
}
