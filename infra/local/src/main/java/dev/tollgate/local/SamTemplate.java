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

    /** A function as the template declares it: logical id, handler class and its environment (unresolved). */
    public record FunctionDefinition(String logicalId, String handlerClass, Map<String, String> environment) {
    }

    public Map<String, FunctionDefinition> functions() {
        Map<String, String> globalEnvironment = variables(root.path("Globals").path("Function"));
        Map<String, FunctionDefinition> functions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> resource : root.path("Resources").properties()) {
            if (!"AWS::Serverless::Function".equals(resource.getValue().path("Type").asText())) {
                continue;
            }
            JsonNode properties = resource.getValue().path("Properties");
            String handler = properties.path("Handler").asText();
            Map<String, String> environment = new LinkedHashMap<>(globalEnvironment);
            environment.putAll(variables(properties));
            functions.put(resource.getKey(), new FunctionDefinition(resource.getKey(),
                    handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler, environment));
        }
        return functions;
    }

    /** The state machine's DefinitionSubstitutions, unresolved ({@code ValidateRequestFunction.Alias}). */
    public Map<String, String> definitionSubstitutions() {
        Map<String, String> substitutions = new LinkedHashMap<>();
        for (JsonNode resource : root.path("Resources")) {
            if ("AWS::Serverless::StateMachine".equals(resource.path("Type").asText())) {
                resource.path("Properties").path("DefinitionSubstitutions").properties()
                        .forEach(entry -> substitutions.put(entry.getKey(), entry.getValue().asText()));
            }
        }
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
        functionProperties.path("Environment").path("Variables").properties()
                .forEach(entry -> variables.put(entry.getKey(), entry.getValue().asText()));
        return variables;
    }
}
