package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code tollgate invoke} names what the template's environment refers to, and reads SAM's environment file. */
class InvokeCommandTest {

    @Test
    void aDeployedStacksResourcesNameTheReferencesAndItsAliasStandsForFunctionDotAlias() {
        Map<String, String> physicalIds = Map.of(
                "DeploymentsTable",
                "tollgate-DeploymentsTable-1A2B",
                "CodeDeployHookFunction",
                "CodeDeployHook_tollgate",
                "CodeDeployHookFunctionAliaslive",
                "arn:aws:lambda:eu-west-1:111122223333:function:CodeDeployHook_tollgate:live");

        assertEquals("tollgate-DeploymentsTable-1A2B", InvokeCommand.fromStack("DeploymentsTable", physicalIds));
        assertEquals(
                "arn:aws:lambda:eu-west-1:111122223333:function:CodeDeployHook_tollgate:live",
                InvokeCommand.fromStack("CodeDeployHookFunction.Alias", physicalIds));
        assertEquals("INFO", InvokeCommand.fromStack("INFO", physicalIds), "a plain value stays as written");
    }

    @Test
    void theFunctionsOwnEnvVarsWinOverTheParametersEveryFunctionGets() {
        var envVars = Json.tree("{\"Parameters\": {\"DEPLOYMENTS_TABLE\": \"shared\", \"LOG_LEVEL\": \"DEBUG\"},"
                + " \"DecideFunction\": {\"DEPLOYMENTS_TABLE\": \"mine\"}, \"OtherFunction\": {\"X\": \"y\"}}");

        assertEquals(
                Map.of("DEPLOYMENTS_TABLE", "mine", "LOG_LEVEL", "DEBUG"),
                InvokeCommand.overrides(envVars, "DecideFunction"));
    }
}
