package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the local stack needs from {@code template.yaml}: each function's handler and environment
 * (Globals merged with its own), and the state machine's definition substitutions. CloudFormation
 * tags ({@code !Ref X}, {@code !GetAtt X.Arn}) arrive as their plain argument; {@link #resolve}
 * maps those to local names.
 */
public final class SamTemplate {

    private final JsonNode root;

    private SamTemplate(JsonNode root) {
        this.root = root;
    }

    public static SamTemplate read(Path file) {
        try {
            return new SamTemplate(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * A function as the template declares it (Globals merged with its own properties): logical id, the
     * {@code Handler} string, memory, timeout, its environment (unresolved) and its logging configuration.
     */
    public record FunctionDefinition(
            String logicalId,
            String handler,
            int memoryMb,
            int timeoutSeconds,
            Map<String, String> environment,
            String logFormat,
            String applicationLogLevel) {

        /** The handler's class: {@code Handler} without its {@code ::method}. */
        public String handlerClass() {
            return handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        }
    }

    public Map<String, FunctionDefinition> functions() {
        JsonNode globals = root.path("Globals").path("Function");
        Map<String, String> globalEnvironment = variables(globals);
        Map<String, FunctionDefinition> functions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> resource : root.path("Resources").properties()) {
            if (!"AWS::Serverless::Function"
                    .equals(resource.getValue().path("Type").asText())) {
                continue;
            }
            JsonNode properties = resource.getValue().path("Properties");
            Map<String, String> environment = new LinkedHashMap<>(globalEnvironment);
            environment.putAll(variables(properties));
            // Lambda's defaults where neither the function nor Globals say: 128 MB, 3 seconds, text logs.
            functions.put(
                    resource.getKey(),
                    new FunctionDefinition(
                            resource.getKey(),
                            properties.path("Handler").asText(),
                            property(properties, globals, "MemorySize").asInt(128),
                            property(properties, globals, "Timeout").asInt(3),
                            environment,
                            property(properties.path("LoggingConfig"), globals.path("LoggingConfig"), "LogFormat")
                                    .asText("Text"),
                            parameterValue(property(
                                            properties.path("LoggingConfig"),
                                            globals.path("LoggingConfig"),
                                            "ApplicationLogLevel")
                                    .asText(""))));
        }
        return functions;
    }

    /** The function's own value of a property, else the Globals' one. */
    private static JsonNode property(JsonNode own, JsonNode globals, String name) {
        return own.has(name) ? own.path(name) : globals.path(name);
    }

    /** {@code !Ref Parameter} arrives as the parameter's name: its default stands in for it; anything else is itself. */
    String parameterValue(String value) {
        JsonNode parameter = root.path("Parameters").path(value);
        return parameter.has("Default") ? parameter.path("Default").asText() : value;
    }

    /** The deployment state machine's DefinitionSubstitutions, unresolved ({@code ValidateRequestFunction.Alias}). */
    public Map<String, String> definitionSubstitutions() {
        return definitionSubstitutions("DeploymentStateMachine");
    }

    /** The DefinitionSubstitutions of the state machine {@code logicalId}, unresolved. */
    public Map<String, String> definitionSubstitutions(String logicalId) {
        Map<String, String> substitutions = new LinkedHashMap<>();
        resourceProperty(logicalId, "DefinitionSubstitutions")
                .properties()
                .forEach(entry ->
                        substitutions.put(entry.getKey(), entry.getValue().asText()));
        return substitutions;
    }

    public boolean hasResource(String logicalId) {
        return root.path("Resources").has(logicalId);
    }

    /** One property of a resource as written (intrinsic functions unresolved: {@code !Sub} gives its template text). */
    public JsonNode resourceProperty(String logicalId, String property) {
        return root.path("Resources").path(logicalId).path("Properties").path(property);
    }

    public String resourceType(String logicalId) {
        return root.path("Resources").path(logicalId).path("Type").asText();
    }

    private static Map<String, String> variables(JsonNode functionProperties) {
        Map<String, String> variables = new LinkedHashMap<>();
        functionProperties
                .path("Environment")
                .path("Variables")
                .properties()
                .forEach(entry -> variables.put(entry.getKey(), entry.getValue().asText()));
        return variables;
    }
}
