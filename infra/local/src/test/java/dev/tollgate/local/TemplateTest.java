package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.events.DeploymentEvent;
import dev.tollgate.events.DeploymentMetrics;
import dev.tollgate.json.Json;
import dev.tollgate.judge.Verdict;
import dev.tollgate.local.SamTemplate.FunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps template.yaml, the state machine definition, the function modules and the sample events in step. */
class TemplateTest {

    private final SamTemplate template = SamTemplate.read(RepositoryFiles.template());

    @Test
    void everySubstitutionInTheStateMachineIsDefinedInTheTemplate() throws IOException {
        String definition = Files.readString(RepositoryFiles.stateMachineDefinition());
        Set<String> used = new TreeSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(definition);
        while (placeholder.find()) {
            used.add(placeholder.group(1));
        }

        assertFalse(used.isEmpty());
        assertEquals(
                used,
                new TreeSet<>(template.definitionSubstitutions().keySet()),
                "the ASL's ${...} placeholders and the template's DefinitionSubstitutions must match exactly");
    }

    @Test
    void everyTaskAfterValidationTellsItsFunctionTheExecutionAndState() throws IOException {
        // The correlation keys of every log line (docs/observability.md); ValidateRequest gets the input as it came.
        JsonNode states = Json.tree(Files.readString(RepositoryFiles.stateMachineDefinition()))
                .path("States");
        List<String> without = new ArrayList<>();
        states.properties().forEach(state -> {
            JsonNode parameters = state.getValue().path("Parameters");
            JsonNode payload = parameters.has("Payload") ? parameters.path("Payload") : parameters;
            if ("Task".equals(state.getValue().path("Type").asText())
                    && !"ValidateRequest".equals(state.getKey())
                    && !payload.path("execution").has("arn.$")) {
                without.add(state.getKey());
            }
        });
        assertEquals(List.of(), without, "Task states whose event lacks \"execution\"");
    }

    @Test
    void theDashboardGraphsOnlyMetricsAndDimensionsTollgateEmits() throws IllegalAccessException {
        // Its body is a !Sub template: placeholders become plain words so the JSON can be read.
        String body = template.resourceProperty("DeploymentsDashboard", "DashboardBody")
                .asText()
                .replaceAll("\\$\\{[^}]+}", "x");
        Set<String> names = new TreeSet<>();
        for (java.lang.reflect.Field field : DeploymentMetrics.class.getFields()) {
            if (field.getType() == String.class && !"NAMESPACE".equals(field.getName())) {
                names.add((String) field.get(null));
            }
        }
        Set<String> dimensionValues = new HashSet<>();
        Stream.of(DeploymentEvent.RollbackReason.values()).forEach(reason -> dimensionValues.add(reason.label()));
        Stream.of(Verdict.values()).forEach(verdict -> dimensionValues.add(verdict.name()));
        Stream.of(DeploymentStatus.values()).forEach(status -> dimensionValues.add(status.name()));
        List<String> unknown = new ArrayList<>();
        int graphed = 0;
        for (JsonNode widget : Json.tree(body).path("widgets")) {
            for (JsonNode metric : widget.path("properties").path("metrics")) {
                if (!DeploymentMetrics.NAMESPACE.equals(metric.path(0).asText())) {
                    continue;
                }
                graphed++;
                if (!names.contains(metric.path(1).asText())) {
                    unknown.add("metric " + metric);
                }
                for (int i = 2; i + 1 < metric.size() && metric.get(i).isTextual(); i += 2) {
                    if (!Set.of("Reason", "Verdict", "Outcome")
                                    .contains(metric.get(i).asText())
                            || !dimensionValues.contains(metric.get(i + 1).asText())) {
                        unknown.add("dimension in " + metric);
                    }
                }
            }
        }
        assertTrue(graphed >= 10, "the dashboard graphs Tollgate's own metrics: " + graphed);
        assertEquals(List.of(), unknown, "what DeploymentMetrics never emits graphs nothing");
    }

    @Test
    void everyFunctionsHandlerExistsAndCanBeBuiltFromItsEnvironment() throws Exception {
        for (FunctionDefinition function : template.functions().values()) {
            Class<?> handler = Class.forName(function.handlerClass());
            assertTrue(RequestStreamHandler.class.isAssignableFrom(handler), function.handlerClass());
            handler.getConstructor(FunctionEnvironment.class);
            handler.getConstructor();
        }
    }

    @Test
    void theLocalStackRunsEachFunctionWithItsMemoryTimeoutAndLogFormatFromGlobalsOrItsOwn() {
        FunctionDefinition migrations = template.functions().get("RunMigrationsFunction");
        FunctionDefinition decide = template.functions().get("DecideFunction");

        assertEquals(900, migrations.timeoutSeconds(), "its own Timeout");
        assertEquals(60, decide.timeoutSeconds(), "the Globals' Timeout");
        assertEquals(1024, decide.memoryMb());
        assertEquals("JSON", decide.logFormat());
        assertEquals(
                "INFO", decide.applicationLogLevel(), "the LogLevel parameter's default stands in for !Ref LogLevel");
        assertEquals("dev.tollgate.functions.decide.DecideHandler::handleRequest", decide.handler());
        assertEquals("dev.tollgate.functions.decide.DecideHandler", decide.handlerClass());
    }

    @Test
    void everyFunctionHasASampleEvent() throws IOException {
        Path events = RepositoryFiles.root().resolve("events");
        List<String> missing = new ArrayList<>();
        for (String module : functionModules()) {
            try (Stream<Path> files = Files.list(events)) {
                if (files.noneMatch(file -> file.getFileName().toString().startsWith(module))) {
                    missing.add(module);
                }
            }
        }
        assertEquals(List.of(), missing, "functions without an events/<module>*.json sample");
    }

    /**
     * sam build: every function is built by its target of the root Makefile (BuildMethod makefile,
     * CodeUri "."), which builds one function module; every function module is built by one target.
     */
    @Test
    void everyFunctionIsBuiltBySamFromItsOwnModuleThroughTheMakefile() throws IOException {
        JsonNode resources = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(RepositoryFiles.template().toFile())
                .path("Resources");
        String makefile = Files.readString(RepositoryFiles.root().resolve("Makefile"));
        Set<String> built = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        resources.properties().forEach(resource -> {
            if (!"AWS::Serverless::Function"
                    .equals(resource.getValue().path("Type").asText())) {
                return;
            }
            String logicalId = resource.getKey();
            if (!"."
                    .equals(resource.getValue()
                            .path("Properties")
                            .path("CodeUri")
                            .asText())) {
                problems.add(logicalId
                        + ": CodeUri must be \".\" (the repository: a module needs its parent POM and shared)");
            }
            if (!"makefile"
                    .equals(resource.getValue()
                            .path("Metadata")
                            .path("BuildMethod")
                            .asText())) {
                problems.add(logicalId + ": Metadata BuildMethod must be makefile");
            }
            Matcher target = Pattern.compile("(?m)^build-" + logicalId + ":\\n\\t\\$\\(call function_jar,([a-z-]+)\\)$")
                    .matcher(makefile);
            if (target.find()) {
                built.add(target.group(1));
            } else {
                problems.add(logicalId + ": no Makefile target build-" + logicalId);
            }
        });
        assertEquals(List.of(), problems);
        assertEquals(new TreeSet<>(functionModules()), built, "function modules and the modules the Makefile builds");
    }

    @Test
    void everySampleEventIsJson() throws IOException {
        try (Stream<Path> files = Files.list(RepositoryFiles.root().resolve("events"))) {
            for (Path file : files.toList()) {
                Json.tree(Files.readString(file));
            }
        }
    }

    @Test
    void theExamplePipelineShowsBothIntegrationsAndHandsTheBridgeJsonUserParameters() throws IOException {
        String pipeline = Files.readString(RepositoryFiles.root().resolve("infra/pipeline/pipeline.yaml"));
        assertTrue(pipeline.contains("Provider: Lambda"));
        assertTrue(pipeline.contains("Provider: StepFunctions"));
        assertTrue(pipeline.contains("InputType: FilePath"));
        Matcher parameters = Pattern.compile("UserParameters: !Sub '(.*)'").matcher(pipeline);
        assertTrue(parameters.find());
        JsonNode resolved = Json.tree(parameters
                .group(1)
                .replace("${SpecFile}", "deploy/tollgate-spec.json")
                .replace("${ServiceName}", "checkout")
                .replace("#{codepipeline.PipelineExecutionId}", "3f1c9a7e"));
        assertEquals("deploy/tollgate-spec.json", resolved.path("specFile").asText());
    }

    private static List<String> functionModules() throws IOException {
        try (Stream<Path> modules = Files.list(RepositoryFiles.root().resolve("functions"))) {
            return modules.filter(Files::isDirectory)
                    .map(path -> path.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }
}
