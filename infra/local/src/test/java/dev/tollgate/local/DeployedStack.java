package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The translated template (CloudFormation after the SAM transform) as one stack would deploy it: every
 * intrinsic function resolved for a stack name, an account, a region and parameter values, with the
 * names CloudFormation gives resources that name none ({@code <stack>-<LogicalId>-<random>}, cut to the
 * type's limit) unless the caller names them. What the third-party checks feed AWS's own tools.
 */
final class DeployedStack {

    static final String ACCOUNT = LocalStack.ACCOUNT;
    static final String REGION = LocalStack.REGION;
    /** What {@code AWS::NoValue} resolves to: the property or list element disappears. */
    private static final JsonNode NO_VALUE = TextNode.valueOf("\u0000AWS::NoValue");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Name limits of the types whose names CloudFormation generates here. */
    private static final Map<String, Integer> NAME_LIMITS = Map.of(
            "AWS::Lambda::Function",
            64,
            "AWS::IAM::Role",
            64,
            "AWS::DynamoDB::Table",
            255,
            "AWS::StepFunctions::StateMachine",
            80,
            "AWS::Logs::LogGroup",
            512,
            "AWS::Events::EventBus",
            256,
            "AWS::CloudWatch::Dashboard",
            255,
            "AWS::S3::Bucket",
            63);
    /** The property that names a resource of each type, when the template sets it. */
    private static final Map<String, String> NAME_PROPERTIES = Map.of(
            "AWS::Lambda::Function",
            "FunctionName",
            "AWS::IAM::Role",
            "RoleName",
            "AWS::DynamoDB::Table",
            "TableName",
            "AWS::StepFunctions::StateMachine",
            "StateMachineName",
            "AWS::Logs::LogGroup",
            "LogGroupName",
            "AWS::Events::EventBus",
            "Name",
            "AWS::CloudWatch::Dashboard",
            "DashboardName",
            "AWS::S3::Bucket",
            "BucketName");

    private final JsonNode template;
    private final String stackName;
    private final String stackId;
    private final Map<String, String> parameters;
    private final Map<String, String> physicalNames;

    /**
     * @param parameters    values for some of the template's parameters; the others take their defaults
     * @param physicalNames names for resources the template does not name (by logical id), instead of generated ones
     */
    DeployedStack(
            JsonNode template, String stackName, Map<String, String> parameters, Map<String, String> physicalNames) {
        this.template = template;
        this.stackName = stackName;
        this.stackId = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + stackName + "/"
                + UUID.nameUUIDFromBytes(stackName.getBytes(StandardCharsets.UTF_8));
        this.parameters = parameters;
        this.physicalNames = physicalNames;
    }

    JsonNode template() {
        return template;
    }

    String stackName() {
        return stackName;
    }

    String type(String logicalId) {
        return resource(logicalId).path("Type").asText();
    }

    /** Every resource's logical id and type. */
    Map<String, String> resourceTypes() {
        Map<String, String> types = new java.util.TreeMap<>();
        template.path("Resources")
                .properties()
                .forEach(resource -> types.put(
                        resource.getKey(), resource.getValue().path("Type").asText()));
        return types;
    }

    /** A name the template gives a resource itself, and the longest name AWS accepts for that type. */
    record GivenName(String logicalId, String name, int limit) {}

    /** Every name the template sets (FunctionName, TableName, Name of the bus…), as this stack resolves it. */
    List<GivenName> givenNames() {
        List<GivenName> names = new java.util.ArrayList<>();
        resourceTypes().forEach((logicalId, type) -> {
            String nameProperty = NAME_PROPERTIES.get(type);
            if (nameProperty != null && resource(logicalId).path("Properties").has(nameProperty)) {
                names.add(new GivenName(
                        logicalId, property(logicalId, nameProperty).asText(), NAME_LIMITS.get(type)));
            }
        });
        return names;
    }

    /** A resource's property with every intrinsic resolved; missing when the template does not set it. */
    JsonNode property(String logicalId, String property) {
        JsonNode value = resource(logicalId).path("Properties").path(property);
        return value.isMissingNode() ? value : resolve(value);
    }

    /** The name the resource gets: its name property, or the caller's, or the one CloudFormation generates. */
    String physicalName(String logicalId) {
        String type = type(logicalId);
        String nameProperty = NAME_PROPERTIES.get(type);
        JsonNode named = nameProperty == null ? NODES.missingNode() : property(logicalId, nameProperty);
        if (named.isTextual()) {
            return named.asText();
        }
        if (physicalNames.containsKey(logicalId)) {
            return physicalNames.get(logicalId);
        }
        return generatedName(logicalId, NAME_LIMITS.getOrDefault(type, 255));
    }

    /** {@code <stack>-<LogicalId>-<13 characters>}, the stack name and logical id cut so the whole fits the limit. */
    private String generatedName(String logicalId, int limit) {
        String suffix = "-" + randomLooking(stackName + "/" + logicalId, 12);
        String prefix = stackName + "-" + logicalId;
        String name =
                (prefix.length() + suffix.length() > limit ? prefix.substring(0, limit - suffix.length()) : prefix)
                        + suffix;
        return "AWS::S3::Bucket".equals(type(logicalId)) ? name.toLowerCase(java.util.Locale.ROOT) : name;
    }

    /** Deterministic, so a test sees the same names every run. */
    private static String randomLooking(String seed, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(Math.floorMod(digest[i], alphabet.length())));
            }
            return text.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Ref} of a resource, as CloudFormation documents it for each type. */
    String ref(String logicalId) {
        String type = type(logicalId);
        return switch (type) {
            case "AWS::Lambda::Alias" ->
                functionArn(property(logicalId, "FunctionName").asText()) + ":"
                        + property(logicalId, "Name").asText();
            case "AWS::Lambda::Version" ->
                functionArn(property(logicalId, "FunctionName").asText()) + ":1";
            case "AWS::StepFunctions::StateMachine" ->
                "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + physicalName(logicalId);
            case "AWS::Lambda::Function",
                    "AWS::DynamoDB::Table",
                    "AWS::Events::EventBus",
                    "AWS::IAM::Role",
                    "AWS::Logs::LogGroup",
                    "AWS::CloudWatch::Dashboard",
                    "AWS::S3::Bucket",
                    "AWS::CodePipeline::Pipeline" -> physicalName(logicalId);
            default ->
                throw new IllegalStateException(
                        "DeployedStack does not know what Ref of " + type + " returns (" + logicalId + ")");
        };
    }

    /** {@code Fn::GetAtt} of a resource. */
    String getAtt(String logicalId, String attribute) {
        String type = type(logicalId);
        String name = physicalName(logicalId);
        return switch (type + "." + attribute) {
            case "AWS::Lambda::Function.Arn" -> functionArn(name);
            case "AWS::DynamoDB::Table.Arn" -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + name;
            case "AWS::Events::EventBus.Arn" -> "arn:aws:events:" + REGION + ":" + ACCOUNT + ":event-bus/" + name;
            case "AWS::Events::EventBus.Name", "AWS::StepFunctions::StateMachine.Name" -> name;
            case "AWS::StepFunctions::StateMachine.Arn" -> ref(logicalId);
            case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + ACCOUNT + ":role/" + name;
            case "AWS::Logs::LogGroup.Arn" -> "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + name + ":*";
            case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + name;
            default ->
                throw new IllegalStateException(
                        "DeployedStack does not know " + logicalId + "." + attribute + " (" + type + ")");
        };
    }

    static String functionArn(String functionName) {
        return functionName.startsWith("arn:")
                ? functionName
                : "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionName;
    }

    /** Any part of the template with its intrinsic functions resolved; {@code AWS::NoValue} removes what it stands in. */
    JsonNode resolve(JsonNode node) {
        if (node.isObject() && node.size() == 1) {
            String function = node.fieldNames().next();
            JsonNode argument = node.get(function);
            switch (function) {
                case "Ref":
                    return refValue(argument.asText());
                case "Fn::GetAtt":
                    List<String> parts = argument.isArray()
                            ? List.of(argument.get(0).asText(), argument.get(1).asText())
                            : List.of(argument.asText().split("\\.", 2));
                    return TextNode.valueOf(getAtt(parts.get(0), parts.get(1)));
                case "Fn::Sub":
                    return TextNode.valueOf(sub(argument));
                case "Fn::Join":
                    return TextNode.valueOf(join(argument.get(0).asText(), resolve(argument.get(1))));
                case "Fn::Select":
                    return resolve(argument.get(1)).get(resolve(argument.get(0)).asInt());
                case "Fn::Split":
                    ArrayNode pieces = NODES.arrayNode();
                    for (String piece : resolve(argument.get(1))
                            .asText()
                            .split(Pattern.quote(argument.get(0).asText()), -1)) {
                        pieces.add(piece);
                    }
                    return pieces;
                case "Fn::If":
                    return resolve(condition(argument.get(0).asText()) ? argument.get(1) : argument.get(2));
                default:
                    if (function.startsWith("Fn::")) {
                        throw new IllegalStateException("DeployedStack cannot resolve " + function);
                    }
            }
        }
        if (node.isObject()) {
            ObjectNode resolved = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = resolve(field.getValue());
                if (!value.equals(NO_VALUE)) {
                    resolved.set(field.getKey(), value);
                }
            }
            return resolved;
        }
        if (node.isArray()) {
            ArrayNode resolved = NODES.arrayNode();
            for (JsonNode element : node) {
                JsonNode value = resolve(element);
                if (!value.equals(NO_VALUE)) {
                    resolved.add(value);
                }
            }
            return resolved;
        }
        return node;
    }

    private JsonNode refValue(String name) {
        switch (name) {
            case "AWS::NoValue":
                return NO_VALUE;
            case "AWS::Region":
                return TextNode.valueOf(REGION);
            case "AWS::AccountId":
                return TextNode.valueOf(ACCOUNT);
            case "AWS::Partition":
                return TextNode.valueOf("aws");
            case "AWS::URLSuffix":
                return TextNode.valueOf("amazonaws.com");
            case "AWS::StackName":
                return TextNode.valueOf(stackName);
            case "AWS::StackId":
                return TextNode.valueOf(stackId);
            default:
        }
        JsonNode parameter = template.path("Parameters").path(name);
        if (!parameter.isMissingNode()) {
            String value =
                    parameters.getOrDefault(name, parameter.path("Default").asText(""));
            if ("CommaDelimitedList".equals(parameter.path("Type").asText())) {
                ArrayNode list = NODES.arrayNode();
                for (String element : value.split(",", -1)) {
                    list.add(element.trim());
                }
                return list;
            }
            return TextNode.valueOf(value);
        }
        return TextNode.valueOf(ref(name));
    }

    private String sub(JsonNode argument) {
        String text = argument.isArray() ? argument.get(0).asText() : argument.asText();
        Map<String, JsonNode> variables = new HashMap<>();
        if (argument.isArray()) {
            argument.get(1)
                    .properties()
                    .forEach(variable -> variables.put(variable.getKey(), resolve(variable.getValue())));
        }
        Matcher placeholder = Pattern.compile("\\$\\{(!?)([^}]+)}").matcher(text);
        StringBuilder result = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(2);
            String value;
            if (!placeholder.group(1).isEmpty()) {
                value = "${" + name + "}";
            } else if (variables.containsKey(name)) {
                value = variables.get(name).asText();
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                value = getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
            } else {
                value = refValue(name).asText();
            }
            placeholder.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(result);
        return result.toString();
    }

    private static String join(String separator, JsonNode list) {
        StringBuilder joined = new StringBuilder();
        for (JsonNode element : list) {
            if (!joined.isEmpty()) {
                joined.append(separator);
            }
            joined.append(element.asText());
        }
        return joined.toString();
    }

    boolean condition(String name) {
        JsonNode condition = template.path("Conditions").path(name);
        if (condition.isMissingNode()) {
            throw new IllegalStateException("no condition " + name + " in the template");
        }
        return evaluate(condition);
    }

    private boolean evaluate(JsonNode condition) {
        String function = condition.fieldNames().next();
        JsonNode argument = condition.get(function);
        return switch (function) {
            case "Fn::Equals" -> resolve(argument.get(0)).equals(resolve(argument.get(1)));
            case "Fn::Not" -> !evaluate(argument.get(0));
            case "Fn::And" ->
                java.util.stream.StreamSupport.stream(argument.spliterator(), false)
                        .allMatch(this::evaluate);
            case "Fn::Or" ->
                java.util.stream.StreamSupport.stream(argument.spliterator(), false)
                        .anyMatch(this::evaluate);
            case "Condition" -> condition(argument.asText());
            default -> throw new IllegalStateException("DeployedStack cannot evaluate " + function + " in a condition");
        };
    }

    private JsonNode resource(String logicalId) {
        JsonNode resource = template.path("Resources").path(logicalId);
        if (resource.isMissingNode()) {
            throw new IllegalStateException("no resource " + logicalId + " in the translated template");
        }
        return resource;
    }
}
