package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The IAM promises of docs/security.md, checked against template.yaml and each function's dependencies. */
class TemplateSecurityTest {

    /** SDK artifact of a function module to the IAM service prefix its calls need. */
    private static final Map<String, String> IAM_PREFIX_OF_SDK = Map.ofEntries(
            Map.entry("dynamodb", "dynamodb"), Map.entry("cloudwatch", "cloudwatch"), Map.entry("ecs", "ecs"),
            Map.entry("elasticloadbalancingv2", "elasticloadbalancing"), Map.entry("secretsmanager", "secretsmanager"),
            Map.entry("lambda", "lambda"), Map.entry("codedeploy", "codedeploy"), Map.entry("codepipeline", "codepipeline"),
            Map.entry("sfn", "states"), Map.entry("eventbridge", "events"), Map.entry("s3", "s3"));
    /** Services a function may need without calling them itself: ECS takes a role to pass along with a task definition. */
    private static final Set<String> PASSED_ALONG = Set.of("iam");
    /**
     * Services a function calls with credentials it is handed rather than its own role: the
     * pipeline bridge reads the input artifact from S3 with the job's artifact credentials.
     */
    private static final Map<String, Set<String>> CALLED_WITH_HANDED_CREDENTIALS = Map.of("pipeline-bridge", Set.of("s3"));

    private final JsonNode template;

    TemplateSecurityTest() throws IOException {
        template = new ObjectMapper(new YAMLFactory()).readTree(RepositoryFiles.template().toFile());
    }

    @Test
    void grantsActionsOnEveryResourceOnlyWhereAwsAllowsNothingNarrower() throws IOException {
        Set<String> allowed = wildcardActionsListedInDocs();
        List<String> unjustified = new ArrayList<>();
        forEachStatement((resource, statement) -> {
            if (resources(statement).contains("*")) {
                for (String action : actions(statement)) {
                    if (!allowed.contains(action)) {
                        unjustified.add(resource + ": " + action);
                    }
                }
            }
        });
        assertFalse(allowed.isEmpty());
        assertEquals(List.of(), unjustified, "actions on \"*\" not listed in docs/security.md");
    }

    @Test
    void everyFunctionReachesExactlyTheServicesItsCodeCalls() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> resource : template.path("Resources").properties()) {
            if (!"AWS::Serverless::Function".equals(resource.getValue().path("Type").asText())) {
                continue;
            }
            String module = functionModules().get(resource.getKey());
            Set<String> granted = new TreeSet<>();
            for (JsonNode policy : resource.getValue().path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    actions(whenGranted(statement)).forEach(action -> granted.add(action.substring(0, action.indexOf(':'))));
                }
            }
            granted.removeAll(PASSED_ALONG);
            Set<String> called = sdkServicesOf(module);
            called.removeAll(CALLED_WITH_HANDED_CREDENTIALS.getOrDefault(module, Set.of()));
            if (!granted.equals(called)) {
                problems.add(resource.getKey() + " (" + module + "): IAM grants " + granted + " but its code calls " + called);
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The Makefile's build-<LogicalId> targets say which module each function is built from. */
    private static Map<String, String> functionModules() throws IOException {
        Map<String, String> modules = new java.util.HashMap<>();
        Matcher target = Pattern.compile("(?m)^build-([A-Za-z0-9]+):\\s*\\n\\t\\$\\(call function_jar,([a-z0-9-]+)\\)")
                .matcher(Files.readString(RepositoryFiles.root().resolve("Makefile")));
        while (target.find()) {
            modules.put(target.group(1), target.group(2));
        }
        return modules;
    }

    private static Set<String> sdkServicesOf(String module) throws IOException {
        String pom = Files.readString(RepositoryFiles.root().resolve("functions").resolve(module).resolve("pom.xml"));
        Set<String> services = new TreeSet<>();
        Matcher dependency = Pattern.compile("<groupId>software\\.amazon\\.awssdk</groupId>\\s*<artifactId>([a-z0-9]+)</artifactId>")
                .matcher(pom);
        while (dependency.find()) {
            String prefix = IAM_PREFIX_OF_SDK.get(dependency.group(1));
            if (prefix != null) {
                services.add(prefix);
            }
        }
        return services;
    }

    private static Set<String> wildcardActionsListedInDocs() throws IOException {
        Set<String> actions = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+:[A-Za-z*]+)` \\|").matcher(
                Files.readString(RepositoryFiles.root().resolve("docs/security.md")));
        while (row.find()) {
            actions.add(row.group(1));
        }
        return actions;
    }

    private interface StatementVisitor {
        void visit(String resource, JsonNode statement);
    }

    private void forEachStatement(StatementVisitor visitor) {
        template.path("Resources").properties().forEach(resource -> {
            for (JsonNode policy : resource.getValue().path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    visitor.visit(resource.getKey(), whenGranted(statement));
                }
            }
            for (JsonNode statement : resource.getValue().path("Properties").path("PolicyDocument").path("Statement")) {
                visitor.visit(resource.getKey(), statement);
            }
        });
    }

    /** A statement under {@code !If [condition, statement, !Ref AWS::NoValue]} (the tag is lost in parsing) counts as granted. */
    private static JsonNode whenGranted(JsonNode statement) {
        return statement.isArray() && statement.size() == 3 && statement.get(1).isObject() ? statement.get(1) : statement;
    }

    private static List<String> actions(JsonNode statement) {
        return values(statement.path("Action"));
    }

    private static List<String> resources(JsonNode statement) {
        return values(statement.path("Resource"));
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }
}
