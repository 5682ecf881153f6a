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
class TemplateSecurityIT {

    /** SDK artifact of a function module to the IAM service prefix its calls need. */
    private static final Map<String, String> IAM_PREFIX_OF_SDK = Map.ofEntries(
            Map.entry("dynamodb", "dynamodb"),
            Map.entry("cloudwatch", "cloudwatch"),
            Map.entry("ecs", "ecs"),
            Map.entry("elasticloadbalancingv2", "elasticloadbalancing"),
            Map.entry("secretsmanager", "secretsmanager"),
            Map.entry("lambda", "lambda"),
            Map.entry("codedeploy", "codedeploy"),
            Map.entry("codepipeline", "codepipeline"),
            Map.entry("sfn", "states"),
            Map.entry("eventbridge", "events"),
            Map.entry("s3", "s3"),
            Map.entry("sts", "sts"));
    /**
     * Services a function may need without calling them itself: ECS takes a role to pass along with a task definition,
     * and Secrets Manager decrypts a secret with its KMS key on the function's behalf.
     */
    private static final Set<String> PASSED_ALONG = Set.of("iam", "kms");
    /**
     * Services a function calls with credentials it is handed rather than its own role: the
     * pipeline bridge reads the input artifact from S3 with the job's artifact credentials.
     */
    private static final Map<String, Set<String>> CALLED_WITH_HANDED_CREDENTIALS =
            Map.of("pipeline-bridge", Set.of("s3"));

    /** Parameter values that switch every conditional grant on. */
    static final Map<String, String> EVERY_OPTIONAL_GRANT = Map.of("MigrationArtifactsBucket", "tollgate-artifacts");

    private final JsonNode template;

    TemplateSecurityIT() throws IOException {
        template = new ObjectMapper(new YAMLFactory())
                .readTree(RepositoryFiles.template().toFile());
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

    /**
     * Each action is granted on a resource of a type AWS's Service Authorization Reference gives that action, and on
     * {@code "*"} only when the action takes none: otherwise IAM refuses the call on AWS, however the policy reads.
     * Checked on every role of the CloudFormation the SAM translator makes, with every optional grant switched on.
     */
    @Test
    void everyActionIsGrantedOnTheResourceTypesAwsServiceAuthorizationReferenceGivesIt() {
        DeployedStack stack =
                new DeployedStack(ThirdPartyTools.translatedTemplate(), "tollgate", EVERY_OPTIONAL_GRANT, Map.of());
        assertEquals(
                List.of(),
                resourceTypeProblems(stack),
                "grants IAM would not honour as written (Service Authorization Reference)");
    }

    @Test
    void theExamplePipelinesRoleGrantsActionsOnTheResourceTypesAwsGivesThem() {
        JsonNode pipeline =
                ThirdPartyTools.parsedTemplate(RepositoryFiles.root().resolve("infra/pipeline/pipeline.yaml"));
        DeployedStack stack = new DeployedStack(
                pipeline,
                "checkout-pipeline",
                Map.of(
                        "BridgeFunctionArn",
                                "arn:aws:lambda:us-east-1:123456789012:function:tollgate-PipelineBridgeFunction-1A2B3C4D5E6F:live",
                        "StateMachineArn",
                                "arn:aws:states:us-east-1:123456789012:stateMachine:DeploymentStateMachine-1A2B3C4D5E6F",
                        "SourceBucket", "checkout-releases"),
                Map.of());
        assertEquals(
                List.of(),
                resourceTypeProblems(stack),
                "grants IAM would not honour as written (Service Authorization Reference)");
    }

    /**
     * Every Lambda function a Task of the state machine calls (its {@code Resource}, or the {@code FunctionName} of
     * {@code arn:aws:states:::lambda:invoke*}), with the substitutions filled as CloudFormation fills them, is one the
     * state machine's role may invoke, as IAM evaluates it; and the role may invoke nothing else.
     */
    @Test
    void theStateMachinesRoleMayInvokeExactlyTheFunctionsItsTasksCall() throws IOException {
        DeployedStack stack = new DeployedStack(ThirdPartyTools.translatedTemplate(), "tollgate", Map.of(), Map.of());
        String definition = Files.readString(RepositoryFiles.stateMachineDefinition());
        for (Map.Entry<String, JsonNode> substitution : stack.property(
                        "DeploymentStateMachine", "DefinitionSubstitutions")
                .properties()) {
            definition = definition.replace(
                    "${" + substitution.getKey() + "}", substitution.getValue().asText());
        }
        Set<String> invoked = new TreeSet<>();
        collectInvokedFunctions(dev.tollgate.json.Json.tree(definition).path("States"), invoked);
        assertFalse(invoked.isEmpty());

        String role = stack.template()
                .path("Resources")
                .path("DeploymentStateMachine")
                .path("Properties")
                .path("RoleArn")
                .path("Fn::GetAtt")
                .get(0)
                .asText();
        List<Map<String, Object>> policies = new ArrayList<>();
        Set<String> invokable = new TreeSet<>();
        for (JsonNode policy : stack.property(role, "Policies")) {
            policies.add(Map.of("name", policy.path("PolicyName").asText(), "policy", policy.path("PolicyDocument")));
            for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                if (values(statement.path("Action")).contains("lambda:InvokeFunction")) {
                    invokable.addAll(values(statement.path("Resource")));
                }
            }
        }
        List<Map<String, Object>> requests = new ArrayList<>();
        for (String function : invoked) {
            requests.add(Map.of(
                    "id",
                    function,
                    "principal",
                    stack.getAtt(role, "Arn"),
                    "policies",
                    policies,
                    "action",
                    "lambda:InvokeFunction",
                    "resource",
                    function,
                    "context",
                    Map.of()));
        }
        List<String> refused = new ArrayList<>();
        ThirdPartyTools.iam("simulate", Map.of("requests", requests)).forEach(result -> {
            if (!"Allowed".equals(result.path("decision").asText())) {
                refused.add(result.path("id").asText() + ": "
                        + result.path("decision").asText() + " "
                        + result.path("detail").asText());
            }
        });
        assertEquals(List.of(), refused, "functions the state machine calls that its role may not invoke");
        assertEquals(invoked, invokable, "the role may invoke exactly the functions the Tasks call");
    }

    private static void collectInvokedFunctions(JsonNode states, Set<String> invoked) {
        for (JsonNode state : states) {
            String resource = state.path("Resource").asText();
            if ("Task".equals(state.path("Type").asText())) {
                invoked.add(
                        resource.startsWith("arn:aws:states:::lambda:invoke")
                                ? state.path("Parameters").path("FunctionName").asText()
                                : resource);
            }
            state.path("Branches").forEach(branch -> collectInvokedFunctions(branch.path("States"), invoked));
            collectInvokedFunctions(state.path("Iterator").path("States"), invoked);
            collectInvokedFunctions(state.path("ItemProcessor").path("States"), invoked);
        }
    }

    /**
     * Each action of each role's statements, checked against the Service Authorization Reference: the action exists, each
     * resource has the form of one of its resource types, and only an action that takes none is granted on {@code "*"}.
     */
    private static List<String> resourceTypeProblems(DeployedStack stack) {
        List<Map<String, Object>> statements = new ArrayList<>();
        stack.resourceTypes().forEach((logicalId, type) -> {
            if ("AWS::IAM::Role".equals(type)) {
                for (JsonNode policy : stack.property(logicalId, "Policies")) {
                    for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                        statements.add(Map.of(
                                "where",
                                logicalId + " " + statement.path("Sid").asText("(no Sid)"),
                                "actions",
                                values(statement.path("Action")),
                                "resources",
                                values(statement.path("Resource"))));
                    }
                }
            }
        });
        assertFalse(statements.isEmpty(), "roles with statements in " + stack.stackName());
        List<String> problems = new ArrayList<>();
        ThirdPartyTools.iam("resource-types", Map.of("statements", statements))
                .forEach(problem -> problems.add(problem.path("where").asText() + ": "
                        + problem.path("action").asText() + " "
                        + problem.path("problem").asText()));
        return problems;
    }

    @Test
    void everyFunctionReachesExactlyTheServicesItsCodeCalls() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> resource : template.path("Resources").properties()) {
            if (!"AWS::Serverless::Function"
                    .equals(resource.getValue().path("Type").asText())) {
                continue;
            }
            String module = functionModules().get(resource.getKey());
            Set<String> granted = new TreeSet<>();
            for (JsonNode policy : resource.getValue().path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    actions(whenGranted(statement))
                            .forEach(action -> granted.add(action.substring(0, action.indexOf(':'))));
                }
            }
            granted.removeAll(PASSED_ALONG);
            Set<String> called = sdkServicesOf(module);
            called.removeAll(CALLED_WITH_HANDED_CREDENTIALS.getOrDefault(module, Set.of()));
            if (!granted.equals(called)) {
                problems.add(resource.getKey() + " (" + module + "): IAM grants " + granted + " but its code calls "
                        + called);
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
        String pom = Files.readString(
                RepositoryFiles.root().resolve("functions").resolve(module).resolve("pom.xml"));
        Set<String> services = new TreeSet<>();
        Matcher dependency = Pattern.compile(
                        "<groupId>software\\.amazon\\.awssdk</groupId>\\s*<artifactId>([a-z0-9]+)</artifactId>")
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
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+:[A-Za-z*]+)` \\|")
                .matcher(Files.readString(RepositoryFiles.root().resolve("docs/security.md")));
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
            for (JsonNode statement : resource.getValue()
                    .path("Properties")
                    .path("PolicyDocument")
                    .path("Statement")) {
                visitor.visit(resource.getKey(), statement);
            }
        });
    }

    /** A statement under {@code !If [condition, statement, !Ref AWS::NoValue]} (the tag is lost in parsing) counts as granted. */
    private static JsonNode whenGranted(JsonNode statement) {
        return statement.isArray() && statement.size() == 3 && statement.get(1).isObject()
                ? statement.get(1)
                : statement;
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
