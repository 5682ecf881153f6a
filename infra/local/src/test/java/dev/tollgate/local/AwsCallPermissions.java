package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What IAM checks for each AWS call a function made: the action, the resource ARN the request names, the
 * condition keys AWS fills in, and the actions the call implies (iam:PassRole for the roles of a task
 * definition ECS registers or runs, ecs:TagResource for tags applied on creation). From the calls log the
 * local stack's functions write ({@code TOLLGATE_AWS_CALLS_FILE}, JSON lines: function, service, operation,
 * and the identifiers the request and answer name).
 *
 * @see <a href="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html">Service Authorization Reference</a>
 * @see <a href="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html">ECS: tags on creation need ecs:TagResource</a>
 */
final class AwsCallPermissions {

    /** One authorisation AWS makes for a call; {@code call} says which call, for the failure message. */
    record Request(String function, String action, String resource, Map<String, Object> context, String call) {}

    private static final String REGION = DeployedStack.REGION;
    private static final String ACCOUNT = DeployedStack.ACCOUNT;
    private static final Map<String, String> IAM_PREFIX = Map.ofEntries(
            Map.entry("DynamoDb", "dynamodb"),
            Map.entry("CloudWatch", "cloudwatch"),
            Map.entry("Ecs", "ecs"),
            Map.entry("ElasticLoadBalancingV2", "elasticloadbalancing"),
            Map.entry("SecretsManager", "secretsmanager"),
            Map.entry("Lambda", "lambda"),
            Map.entry("CodeDeploy", "codedeploy"),
            Map.entry("CodePipeline", "codepipeline"),
            Map.entry("Sfn", "states"),
            Map.entry("EventBridge", "events"),
            Map.entry("S3", "s3"),
            Map.entry("Sts", "sts"));
    /** Operations whose IAM action has another name. */
    private static final Map<String, String> ACTION_OF_OPERATION = Map.of(
            "Lambda:Invoke",
            "lambda:InvokeFunction",
            "S3:ListObjectsV2",
            "s3:ListBucket",
            "S3:HeadObject",
            "s3:GetObject");
    /** Secrets Manager ends every secret's ARN with six random characters. */
    private static final String SECRET_SUFFIX = "-Ab12Cd";
    /** ECS task ids are 32 hexadecimal digits; a task being created has none yet. */
    private static final String NEW_TASK_ID = "0f3e8c2b5d1a4e6f9b7c0d2e4f6a8b1c";

    /** Each CodeDeploy deployment's group, from every call that named both (CreateDeployment, GetDeployment's answer). */
    private final Map<String, String> deploymentGroups = new HashMap<>();
    /** Each task definition family's roles, from every call that named them (DescribeTaskDefinition, RegisterTaskDefinition). */
    private final Map<String, List<String>> familyRoles = new HashMap<>();

    AwsCallPermissions(List<JsonNode> calls) {
        for (JsonNode call : calls) {
            for (JsonNode identifiers : List.of(call.path("request"), call.path("response"))) {
                String id = first(identifiers, "deploymentId", "deploymentInfo.deploymentId");
                String application = first(identifiers, "applicationName", "deploymentInfo.applicationName");
                String group = first(identifiers, "deploymentGroupName", "deploymentInfo.deploymentGroupName");
                if (id != null && application != null && group != null) {
                    deploymentGroups.put(id, application + "/" + group);
                }
                String family = first(identifiers, "family", "taskDefinition.family");
                if (family != null) {
                    List<String> roles = new ArrayList<>();
                    for (String role : List.of(
                            "taskRoleArn",
                            "executionRoleArn",
                            "taskDefinition.taskRoleArn",
                            "taskDefinition.executionRoleArn")) {
                        Optional.ofNullable(text(identifiers, role)).ifPresent(roles::add);
                    }
                    familyRoles.merge(family, roles, (known, more) -> {
                        List<String> all = new ArrayList<>(known);
                        more.stream().filter(role -> !all.contains(role)).forEach(all::add);
                        return all;
                    });
                }
            }
        }
    }

    /** Every authorisation the call needs. An operation this class does not know fails the check: add it here. */
    List<Request> of(JsonNode call) {
        String function = call.path("function").asText();
        String service = call.path("service").asText();
        String operation = call.path("operation").asText();
        String prefix = IAM_PREFIX.get(service);
        if (prefix == null) {
            throw new AssertionError(
                    "AwsCallPermissions does not know the IAM prefix of " + service + " (" + call + ")");
        }
        String action = ACTION_OF_OPERATION.getOrDefault(service + ":" + operation, prefix + ":" + operation);
        JsonNode request = call.path("request");
        String description = function + " " + service + ":" + operation + " " + request;
        List<Request> requests = new ArrayList<>();
        Map<String, Object> context = new LinkedHashMap<>();
        for (String resource : resources(service, operation, request, call.path("response"), context, description)) {
            requests.add(new Request(function, action, resource, context, description));
        }
        requests.addAll(implied(function, service, operation, request, call.path("response"), description));
        return requests;
    }

    private List<String> resources(
            String service,
            String operation,
            JsonNode request,
            JsonNode response,
            Map<String, Object> context,
            String description) {
        switch (service) {
            case "DynamoDb":
                return List.of(arn(
                        "dynamodb",
                        "table/" + text(request, "TableName")
                                + (request.has("IndexName") ? "/index/" + text(request, "IndexName") : "")));
            case "CloudWatch":
                if ("DescribeAlarms".equals(operation)) {
                    List<String> alarms = list(request, "AlarmNames").stream()
                            .map(name -> arn("cloudwatch", "alarm:" + name))
                            .toList();
                    return alarms.isEmpty() ? List.of(arn("cloudwatch", "alarm:*")) : alarms;
                }
                return List.of("*"); // GetMetricData names no resource (its resource type, dataset, is optional)
            case "Ecs":
                return ecs(operation, request, response, context, description);
            case "ElasticLoadBalancingV2":
                return switch (operation) {
                    case "ModifyListener" -> List.of(text(request, "ListenerArn"));
                    case "ModifyRule" -> List.of(text(request, "RuleArn"));
                    default -> List.of("*"); // Describe* take no resource type
                };
            case "SecretsManager":
                String secret = text(request, "SecretId");
                return List.of(
                        secret.startsWith("arn:") ? secret : arn("secretsmanager", "secret:" + secret + SECRET_SUFFIX));
            case "Lambda":
                return List.of(lambdaFunction(operation, request));
            case "CodeDeploy":
                return codeDeploy(operation, request, description);
            case "CodePipeline":
                return List.of("*"); // job actions take no resource type
            case "Sfn":
                if (request.has("executionArn")) {
                    return List.of(text(request, "executionArn"));
                }
                return List.of(request.has("stateMachineArn") ? text(request, "stateMachineArn") : "*");
            case "EventBridge":
                List<String> buses = list(request, "Entries.EventBusName");
                return (buses.isEmpty() ? List.of("default") : buses)
                        .stream()
                                .map(bus -> bus.startsWith("arn:") ? bus : arn("events", "event-bus/" + bus))
                                .distinct()
                                .toList();
            case "S3":
                if (request.has("Prefix")) {
                    context.put("s3:prefix", text(request, "Prefix"));
                }
                return List.of("arn:aws:s3:::" + text(request, "Bucket")
                        + (request.has("Key") ? "/" + text(request, "Key") : ""));
            case "Sts":
                if ("AssumeRole".equals(operation)) {
                    return List.of(text(request, "RoleArn"));
                }
                throw new AssertionError("AwsCallPermissions does not know which resource " + description + " names");
            default:
                throw new AssertionError("AwsCallPermissions does not know which resource " + description + " names");
        }
    }

    private List<String> ecs(
            String operation, JsonNode request, JsonNode response, Map<String, Object> context, String description) {
        String cluster = clusterName(request);
        context.put("ecs:cluster", arn("ecs", "cluster/" + cluster));
        switch (operation) {
            case "DescribeServices":
                return list(request, "services").stream()
                        .map(service -> ecsArn("service/" + cluster + "/", service))
                        .toList();
            case "UpdateService":
                return List.of(ecsArn("service/" + cluster + "/", text(request, "service")));
            case "TagResource":
                context.remove("ecs:cluster");
                context.put("aws:TagKeys", list(request, "tagKeys"));
                return List.of(text(request, "resourceArn"));
            case "ListTagsForResource":
                context.remove("ecs:cluster");
                return List.of(text(request, "resourceArn"));
            case "RunTask":
                return List.of(taskDefinitionArn(text(request, "taskDefinition")));
            case "RegisterTaskDefinition":
                context.remove("ecs:cluster");
                return List.of(
                        response.has("taskDefinition.taskDefinitionArn")
                                ? text(response, "taskDefinition.taskDefinitionArn")
                                : arn("ecs", "task-definition/" + text(request, "family") + ":1"));
            case "DescribeTaskDefinition":
                context.remove("ecs:cluster");
                return List.of(taskDefinitionArn(text(request, "taskDefinition")));
            case "DescribeTasks":
                return list(request, "tasks").stream()
                        .map(task -> ecsArn("task/" + cluster + "/", task))
                        .toList();
            case "StopTask":
                return List.of(ecsArn("task/" + cluster + "/", text(request, "task")));
            case "ListTasks":
                return List.of(arn("ecs", "container-instance/" + cluster + "/*"));
            default:
                throw new AssertionError("AwsCallPermissions does not know which resource " + description + " names");
        }
    }

    private List<String> codeDeploy(String operation, JsonNode request, String description) {
        switch (operation) {
            case "CreateDeployment":
            case "ListDeployments":
                return List.of(arn(
                        "codedeploy",
                        "deploymentgroup:" + text(request, "applicationName") + "/"
                                + text(request, "deploymentGroupName")));
            case "GetDeploymentConfig":
            case "CreateDeploymentConfig":
                return List.of(arn("codedeploy", "deploymentconfig:" + text(request, "deploymentConfigName")));
            case "GetApplicationRevision":
            case "RegisterApplicationRevision":
                return List.of(arn("codedeploy", "application:" + text(request, "applicationName")));
            default:
                List<String> ids = new ArrayList<>(list(request, "deploymentIds"));
                Optional.ofNullable(text(request, "deploymentId")).ifPresent(ids::add);
                if (ids.isEmpty()) {
                    throw new AssertionError(
                            "AwsCallPermissions does not know which resource " + description + " names");
                }
                // Deployment-level actions are authorised on the deployment's group (or take no resource type at all).
                return ids.stream()
                        .map(id -> arn(
                                "codedeploy",
                                "deploymentgroup:"
                                        + deploymentGroups.getOrDefault(id, "unknown-application/unknown-group")))
                        .distinct()
                        .toList();
        }
    }

    private List<Request> implied(
            String function,
            String service,
            String operation,
            JsonNode request,
            JsonNode response,
            String description) {
        List<Request> implied = new ArrayList<>();
        if (!"Ecs".equals(service)
                || !List.of("RunTask", "RegisterTaskDefinition").contains(operation)) {
            return implied;
        }
        // ECS passes the task definition's roles to the task: the caller needs iam:PassRole on each, to ecs-tasks.
        List<String> roles = new ArrayList<>();
        if ("RegisterTaskDefinition".equals(operation)) {
            List.of("taskRoleArn", "executionRoleArn")
                    .forEach(role -> Optional.ofNullable(text(request, role)).ifPresent(roles::add));
        } else {
            roles.addAll(familyRoles.getOrDefault(family(text(request, "taskDefinition")), List.of()));
            List.of("overrides.taskRoleArn", "overrides.executionRoleArn")
                    .forEach(role -> Optional.ofNullable(text(request, role)).ifPresent(roles::add));
        }
        for (String role : roles.stream().distinct().toList()) {
            implied.add(new Request(
                    function,
                    "iam:PassRole",
                    role,
                    Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com"),
                    description + " passes " + role));
        }
        // Tags applied on creation are authorised as ecs:TagResource with ecs:CreateAction.
        List<String> tagKeys = list(request, "tagKeys");
        if (!tagKeys.isEmpty()) {
            String created = "RunTask".equals(operation)
                    ? arn("ecs", "task/" + clusterName(request) + "/" + NEW_TASK_ID)
                    : response.has("taskDefinition.taskDefinitionArn")
                            ? text(response, "taskDefinition.taskDefinitionArn")
                            : arn("ecs", "task-definition/" + text(request, "family") + ":1");
            implied.add(new Request(
                    function,
                    "ecs:TagResource",
                    created,
                    Map.of("ecs:CreateAction", operation, "aws:TagKeys", tagKeys),
                    description + " tags what it creates"));
        }
        return implied;
    }

    private static String lambdaFunction(String operation, JsonNode request) {
        String name = text(request, "FunctionName");
        String qualifier = text(request, "Qualifier");
        String functionArn;
        if (name.startsWith("arn:")) {
            functionArn = name;
        } else if (name.contains(":function:")) {
            functionArn = "arn:aws:lambda:" + REGION + ":" + name;
        } else if (name.contains(":")) {
            functionArn = arn("lambda", "function:" + name.substring(0, name.indexOf(':')))
                    + name.substring(name.indexOf(':'));
        } else {
            functionArn = arn("lambda", "function:" + name);
        }
        // Alias actions (GetAlias, UpdateAlias) and PublishVersion are authorised on the function; the others on the
        // version or
        // alias the request qualifies.
        return qualifier == null
                        || List.of("GetAlias", "UpdateAlias", "PublishVersion").contains(operation)
                ? functionArn
                : functionArn + ":" + qualifier;
    }

    private static String clusterName(JsonNode request) {
        String cluster = Optional.ofNullable(text(request, "cluster")).orElse("default");
        return cluster.startsWith("arn:") ? cluster.substring(cluster.lastIndexOf('/') + 1) : cluster;
    }

    private static String ecsArn(String typePrefix, String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn : arn("ecs", typePrefix + nameOrArn);
    }

    private static String taskDefinitionArn(String taskDefinition) {
        if (taskDefinition.startsWith("arn:")) {
            return taskDefinition;
        }
        return arn("ecs", "task-definition/" + (taskDefinition.contains(":") ? taskDefinition : taskDefinition + ":1"));
    }

    private static String family(String taskDefinition) {
        String name = taskDefinition.substring(taskDefinition.lastIndexOf('/') + 1);
        return name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
    }

    private static String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT + ":" + resource;
    }

    private static String first(JsonNode identifiers, String... names) {
        for (String name : names) {
            String value = text(identifiers, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode identifiers, String name) {
        JsonNode value = identifiers.path(name);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private static List<String> list(JsonNode identifiers, String name) {
        List<String> values = new ArrayList<>();
        identifiers.path(name).forEach(value -> values.add(value.asText()));
        return values;
    }
}
