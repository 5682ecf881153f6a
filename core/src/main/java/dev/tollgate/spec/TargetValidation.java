package dev.tollgate.spec;

import static dev.tollgate.spec.Violations.child;
import static dev.tollgate.spec.Violations.element;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.spec.CodeDeployTarget.EcsRevision;
import dev.tollgate.spec.CodeDeployTarget.LambdaRevision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for each target type ({@code $.target}), and the rules a target imposes on the rest of
 * the spec: the step schedules CodeDeploy can express, and the release placeholders a target
 * resolves in metric dimensions ({@code {canaryVersion}}). Reports into the caller's
 * {@link Violations}, so every problem of the spec is listed at once.
 */
final class TargetValidation {

    static final String TYPES = "ECS_ALB, LAMBDA_ALIAS or CODEDEPLOY";
    static final int MIN_HEALTH_TIMEOUT_SECONDS = 30;
    static final int MAX_HEALTH_TIMEOUT_SECONDS = 3_600;
    static final int MAX_DRAIN_SECONDS = 3_600;

    static final Pattern ECS_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");
    static final Pattern ECS_CLUSTER = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9_-]{0,254}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:cluster/[A-Za-z0-9_-]{1,255}");
    static final Pattern TASK_DEFINITION = Pattern.compile(
            "arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:task-definition/[A-Za-z0-9_-]{1,255}:\\d+|[A-Za-z0-9_-]{1,255}:\\d+");
    private static final Pattern LISTENER_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}");
    private static final Pattern LISTENER_RULE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}");
    private static final Pattern TARGET_GROUP_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}");
    // https://docs.aws.amazon.com/lambda/latest/api/API_GetAlias.html: a name, or an unqualified function ARN.
    private static final Pattern FUNCTION_NAME = Pattern.compile(
            "[A-Za-z0-9_-]{1,64}|arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}");
    private static final Pattern QUALIFIED_FUNCTION =
            Pattern.compile("(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:)?[A-Za-z0-9_-]{1,64}:[A-Za-z0-9$_-]+");
    // Alias names: 1-128 of letters, digits, '-' and '_', not all digits (that would read as a version).
    private static final Pattern ALIAS = Pattern.compile("(?!\\d+$)[A-Za-z0-9_-]{1,128}");
    private static final Pattern PUBLISHED_VERSION = Pattern.compile("[1-9]\\d{0,9}");
    private static final Pattern CODE_SHA256 = Pattern.compile("[A-Za-z0-9+/]{43}=");
    // CodeDeploy application and deployment group names: 1-100 characters.
    private static final Pattern CODEDEPLOY_NAME = Pattern.compile("[A-Za-z0-9._+-]{1,100}");
    private static final Pattern CONTAINER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");
    private static final Pattern PLATFORM_VERSION = Pattern.compile("LATEST|\\d+\\.\\d+\\.\\d+");
    private static final Pattern HOOK_FUNCTION = Pattern.compile(
            "[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_-]{1,128})?|arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_-]{1,128})?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private static final Set<String> ECS_ALB_FIELDS = Set.of(
            "type",
            "cluster",
            "blueService",
            "greenService",
            "listenerArn",
            "listenerRuleArn",
            "blueTargetGroupArn",
            "greenTargetGroupArn",
            "taskDefinition",
            "healthTimeoutSeconds",
            "drainSeconds");
    private static final Set<String> LAMBDA_ALIAS_FIELDS =
            Set.of("type", "functionName", "alias", "version", "codeSha256", "healthTimeoutSeconds");
    private static final Set<String> CODEDEPLOY_FIELDS =
            Set.of("type", "application", "deploymentGroup", "lambda", "ecs", "hooks", "healthTimeoutSeconds");
    private static final Set<String> CODEDEPLOY_LAMBDA_FIELDS = Set.of("functionName", "alias", "version");
    private static final Set<String> CODEDEPLOY_ECS_FIELDS =
            Set.of("taskDefinition", "containerName", "containerPort", "platformVersion");
    /** Lifecycle events a team may hook; Tollgate itself answers AfterAllowTraffic and, for ECS, AfterAllowTestTraffic. */
    static final Set<String> LAMBDA_HOOK_EVENTS = Set.of("BeforeAllowTraffic");

    static final Set<String> ECS_HOOK_EVENTS = Set.of("BeforeInstall", "AfterInstall", "BeforeAllowTraffic");

    /** Placeholders each target resolves in metric dimensions once the canary is deployed. */
    static final Set<String> ECS_ALB_PLACEHOLDERS = Set.of(
            "canaryVersion",
            "baselineVersion",
            "canaryService",
            "baselineService",
            "canaryTargetGroup",
            "baselineTargetGroup");

    static final Set<String> LAMBDA_PLACEHOLDERS = Set.of("canaryVersion", "baselineVersion");
    static final Set<String> CODEDEPLOY_ECS_PLACEHOLDERS = Set.of("canaryVersion");

    private final Violations violations;

    TargetValidation(Violations violations) {
        this.violations = violations;
    }

    Optional<Target> target(JsonNode node, String path) {
        Optional<String> type = violations.string(node, "type", path, true, null, TYPES);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        switch (type.get()) {
            case "ECS_ALB":
                return ecsAlb(node, path);
            case "LAMBDA_ALIAS":
                return lambdaAlias(node, path);
            case "CODEDEPLOY":
                return codeDeploy(node, path);
            default:
                violations.add(
                        child(path, "type"),
                        "'" + Violations.abbreviate(type.get()) + "' is not a target type this build supports",
                        TYPES);
                return Optional.empty();
        }
    }

    private Optional<Target> ecsAlb(JsonNode node, String path) {
        violations.onlyKnownFields(node, path, ECS_ALB_FIELDS);
        Optional<String> cluster =
                violations.string(node, "cluster", path, true, ECS_CLUSTER, "an ECS cluster name or ARN");
        Optional<String> blueService =
                violations.string(node, "blueService", path, true, ECS_NAME, "an ECS service name");
        Optional<String> greenService =
                violations.string(node, "greenService", path, true, ECS_NAME, "an ECS service name");
        Optional<String> listenerArn = violations.string(
                node, "listenerArn", path, true, LISTENER_ARN, "an Application Load Balancer listener ARN");
        Optional<String> listenerRuleArn = violations.string(
                node,
                "listenerRuleArn",
                path,
                false,
                LISTENER_RULE_ARN,
                "an Application Load Balancer listener rule ARN");
        Optional<String> blueTargetGroup =
                violations.string(node, "blueTargetGroupArn", path, true, TARGET_GROUP_ARN, "a target group ARN");
        Optional<String> greenTargetGroup =
                violations.string(node, "greenTargetGroupArn", path, true, TARGET_GROUP_ARN, "a target group ARN");
        Optional<String> taskDefinition = violations.string(
                node, "taskDefinition", path, true, TASK_DEFINITION, "a task definition ARN or family:revision");
        Optional<Integer> healthTimeout = healthTimeout(node, path);
        Optional<Long> drain = violations.integer(
                node,
                "drainSeconds",
                path,
                false,
                0,
                MAX_DRAIN_SECONDS,
                "seconds the old side keeps its tasks after a promotion");
        boolean valid = healthTimeout.isPresent() && (drain.isPresent() || !node.hasNonNull("drainSeconds"));
        if (blueService.isPresent() && blueService.equals(greenService)) {
            violations.add(child(path, "greenService"), "is the same service as blueService", "a second ECS service");
            valid = false;
        }
        if (blueTargetGroup.isPresent() && blueTargetGroup.equals(greenTargetGroup)) {
            violations.add(
                    child(path, "greenTargetGroupArn"),
                    "is the same target group as blueTargetGroupArn",
                    "the green service's own target group");
            valid = false;
        }
        if (listenerArn.isPresent()
                && listenerRuleArn.isPresent()
                && !listenerRuleArn
                        .get()
                        .replace(":listener-rule/", ":listener/")
                        .startsWith(listenerArn.get() + "/")) {
            violations.add(
                    child(path, "listenerRuleArn"),
                    "is not a rule of listenerArn",
                    "a rule of the listener named in listenerArn");
            valid = false;
        }
        if (!valid
                || cluster.isEmpty()
                || blueService.isEmpty()
                || greenService.isEmpty()
                || listenerArn.isEmpty()
                || blueTargetGroup.isEmpty()
                || greenTargetGroup.isEmpty()
                || taskDefinition.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EcsAlbTarget(
                cluster.get(),
                blueService.get(),
                greenService.get(),
                listenerArn.get(),
                listenerRuleArn.orElse(null),
                blueTargetGroup.get(),
                greenTargetGroup.get(),
                taskDefinition.get(),
                healthTimeout.get(),
                drain.map(Long::intValue).orElse(EcsAlbTarget.DEFAULT_DRAIN_SECONDS)));
    }

    private Optional<Target> lambdaAlias(JsonNode node, String path) {
        violations.onlyKnownFields(node, path, LAMBDA_ALIAS_FIELDS);
        Optional<String> functionName = functionName(node, path);
        Optional<String> alias = alias(node, path);
        Optional<String> version = version(node, path);
        Optional<String> codeSha256 = violations.string(
                node,
                "codeSha256",
                path,
                false,
                CODE_SHA256,
                "the base64 SHA-256 of the deployment package, as GetFunction reports CodeSha256");
        Optional<Integer> healthTimeout = healthTimeout(node, path);
        boolean valid = healthTimeout.isPresent()
                && (codeSha256.isPresent() || !node.hasNonNull("codeSha256"))
                && (version.isPresent() || !node.hasNonNull("version"));
        if (version.isPresent() && codeSha256.isPresent()) {
            violations.add(
                    child(path, "codeSha256"),
                    "guards the version Tollgate publishes, but version names one already published",
                    "either version, or codeSha256 (Tollgate publishes $LATEST only if its code has this hash)");
            valid = false;
        }
        if (!valid || functionName.isEmpty() || alias.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LambdaAliasTarget(
                functionName.get(), alias.get(), version.orElse(null), codeSha256.orElse(null), healthTimeout.get()));
    }

    private Optional<Target> codeDeploy(JsonNode node, String path) {
        violations.onlyKnownFields(node, path, CODEDEPLOY_FIELDS);
        Optional<String> application = violations.string(
                node,
                "application",
                path,
                true,
                CODEDEPLOY_NAME,
                "a CodeDeploy application name (1 to 100 letters, digits, '.', '_', '+' or '-')");
        Optional<String> group = violations.string(
                node,
                "deploymentGroup",
                path,
                true,
                CODEDEPLOY_NAME,
                "a CodeDeploy deployment group name (1 to 100 letters, digits, '.', '_', '+' or '-')");
        Optional<Integer> healthTimeout = healthTimeout(node, path);
        boolean valid = healthTimeout.isPresent();
        boolean hasLambda = node.hasNonNull("lambda");
        boolean hasEcs = node.hasNonNull("ecs");
        LambdaRevision lambda = null;
        EcsRevision ecs = null;
        if (hasLambda == hasEcs) {
            violations.add(
                    child(path, hasLambda ? "ecs" : "lambda"),
                    hasLambda ? "both lambda and ecs are given" : "no revision is given",
                    "exactly one of lambda {functionName, alias, version} and ecs {taskDefinition, containerName, containerPort}");
            valid = false;
        } else if (hasLambda) {
            lambda = violations
                    .object(node, "lambda", path, true)
                    .flatMap(revision -> lambdaRevision(revision, child(path, "lambda")))
                    .orElse(null);
            valid &= lambda != null;
        } else {
            ecs = violations
                    .object(node, "ecs", path, true)
                    .flatMap(revision -> ecsRevision(revision, child(path, "ecs")))
                    .orElse(null);
            valid &= ecs != null;
        }
        Map<String, String> hooks = hooks(
                node,
                path,
                hasLambda && !hasEcs ? LAMBDA_HOOK_EVENTS : ECS_HOOK_EVENTS,
                hasLambda && !hasEcs ? "Lambda" : "ECS");
        valid &= hooks != null;
        if (!valid || application.isEmpty() || group.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new CodeDeployTarget(application.get(), group.get(), lambda, ecs, hooks, healthTimeout.get()));
    }

    private Optional<LambdaRevision> lambdaRevision(JsonNode node, String path) {
        violations.onlyKnownFields(node, path, CODEDEPLOY_LAMBDA_FIELDS);
        Optional<String> functionName = functionName(node, path);
        Optional<String> alias = alias(node, path);
        Optional<String> version = version(node, path);
        if (functionName.isEmpty() || alias.isEmpty() || (version.isEmpty() && node.hasNonNull("version"))) {
            return Optional.empty();
        }
        return Optional.of(new LambdaRevision(functionName.get(), alias.get(), version.orElse(null)));
    }

    private Optional<EcsRevision> ecsRevision(JsonNode node, String path) {
        violations.onlyKnownFields(node, path, CODEDEPLOY_ECS_FIELDS);
        Optional<String> taskDefinition = violations.string(
                node, "taskDefinition", path, true, TASK_DEFINITION, "a task definition ARN or family:revision");
        Optional<String> container = violations.string(
                node,
                "containerName",
                path,
                true,
                CONTAINER_NAME,
                "the name of the container the load balancer sends traffic to");
        Optional<Long> port = violations.integer(node, "containerPort", path, true, 1, 65_535, "");
        Optional<String> platformVersion = violations.string(
                node,
                "platformVersion",
                path,
                false,
                PLATFORM_VERSION,
                "LATEST or a Fargate platform version such as 1.4.0");
        if (taskDefinition.isEmpty()
                || container.isEmpty()
                || port.isEmpty()
                || (platformVersion.isEmpty() && node.hasNonNull("platformVersion"))) {
            return Optional.empty();
        }
        return Optional.of(new EcsRevision(
                taskDefinition.get(), container.get(), port.get().intValue(), platformVersion.orElse(null)));
    }

    /** The team's own hooks, for the events Tollgate leaves free; {@code null} when invalid. */
    private Map<String, String> hooks(JsonNode node, String path, Set<String> allowedEvents, String platform) {
        Optional<JsonNode> hooks = violations.object(node, "hooks", path, false);
        if (hooks.isEmpty()) {
            return node.hasNonNull("hooks") ? null : Map.of();
        }
        String at = child(path, "hooks");
        String allowed = "one of " + String.join(", ", new TreeSet<>(allowedEvents)) + " for " + platform
                + " (Tollgate answers AfterAllowTraffic" + ("ECS".equals(platform) ? " and AfterAllowTestTraffic" : "")
                + " itself)";
        Map<String, String> events = new LinkedHashMap<>();
        boolean valid = true;
        for (Map.Entry<String, JsonNode> hook : hooks.get().properties()) {
            if (!allowedEvents.contains(hook.getKey())) {
                violations.add(child(at, hook.getKey()), "is not a lifecycle event a team hook may use here", allowed);
                valid = false;
                continue;
            }
            Optional<String> function = violations.stringValue(
                    hook.getValue(), child(at, hook.getKey()), HOOK_FUNCTION, "a Lambda function name or ARN");
            function.ifPresent(name -> events.put(hook.getKey(), name));
            valid &= function.isPresent();
        }
        return valid ? events : null;
    }

    private Optional<String> functionName(JsonNode node, String path) {
        JsonNode value = node.get("functionName");
        if (value != null
                && value.isTextual()
                && QUALIFIED_FUNCTION.matcher(value.asText()).matches()
                && !FUNCTION_NAME.matcher(value.asText()).matches()) {
            violations.add(
                    child(path, "functionName"),
                    "'" + Violations.abbreviate(value.asText()) + "' is qualified",
                    "the unqualified function name or ARN; the alias goes in alias");
            return Optional.empty();
        }
        return violations.string(
                node, "functionName", path, true, FUNCTION_NAME, "a Lambda function name or unqualified ARN");
    }

    private Optional<String> alias(JsonNode node, String path) {
        return violations.string(
                node,
                "alias",
                path,
                true,
                ALIAS,
                "an alias name: 1 to 128 letters, digits, '-' or '_', not only digits");
    }

    private Optional<String> version(JsonNode node, String path) {
        return violations.string(
                node,
                "version",
                path,
                false,
                PUBLISHED_VERSION,
                "a published version number such as \"42\" (not $LATEST: weighted aliases need published versions)");
    }

    private Optional<Integer> healthTimeout(JsonNode node, String path) {
        if (!node.hasNonNull("healthTimeoutSeconds")) {
            return Optional.of(SpecValidator.DEFAULT_HEALTH_TIMEOUT_SECONDS);
        }
        return violations
                .integer(
                        node,
                        "healthTimeoutSeconds",
                        path,
                        false,
                        MIN_HEALTH_TIMEOUT_SECONDS,
                        MAX_HEALTH_TIMEOUT_SECONDS,
                        "seconds")
                .map(Long::intValue);
    }

    /**
     * CodeDeploy shifts on its own schedule: one canary increment then the rest
     * ({@code TimeBasedCanary}), or equal increments at equal intervals ({@code TimeBasedLinear}),
     * each interval a whole number of minutes. Refuses the schedules it cannot express and returns
     * the steps with {@code maxBakeSeconds} equal to {@code bakeSeconds}: a CodeDeploy window cannot be
     * stretched while the judge is undecided.
     */
    List<StepSpec> codeDeploySteps(List<StepSpec> steps, JsonNode stepsNode, String path) {
        String allowed = "a canary schedule [{weight: w, bakeSeconds: 60*m}, {weight: 100}], or a linear one "
                + "[w, 2w, 3w, ... (each below 100), 100] with the same bakeSeconds on every step; bakeSeconds a whole number of "
                + "minutes (CodeDeploy's interval unit)";
        if (steps.size() < 2) {
            violations.add(
                    path,
                    "a single 100 % step leaves CodeDeploy nothing to shift in steps and Tollgate nothing to judge",
                    allowed);
            return steps;
        }
        List<StepSpec> normalised = new ArrayList<>();
        int increment = steps.get(0).weight();
        int bakeSeconds = steps.get(0).bakeSeconds();
        boolean linear = steps.size() > 2;
        for (int index = 0; index < steps.size() - 1; index++) {
            StepSpec step = steps.get(index);
            String at = element(path, index);
            if (step.bakeSeconds() % 60 != 0) {
                violations.add(
                        child(at, "bakeSeconds"),
                        step.bakeSeconds() + " is not a whole number of minutes",
                        "a multiple of 60: CodeDeploy's canary and linear intervals are whole minutes");
            }
            JsonNode stepNode = stepsNode.get(index);
            if (stepNode.hasNonNull("maxBakeSeconds") && step.maxBakeSeconds() != step.bakeSeconds()) {
                violations.add(
                        child(at, "maxBakeSeconds"),
                        step.maxBakeSeconds() + " differs from bakeSeconds (" + step.bakeSeconds() + ")",
                        "the same as bakeSeconds, or nothing: CodeDeploy moves on when its interval ends, so an undecided step "
                                + "cannot bake longer (analysis.onInconclusive applies at its end)");
            }
            if (linear && step.weight() != increment * (index + 1)) {
                violations.add(
                        child(at, "weight"),
                        step.weight() + " is not " + (index + 1) + " x " + increment + " %",
                        allowed);
            }
            if (linear && step.bakeSeconds() != bakeSeconds) {
                violations.add(
                        child(at, "bakeSeconds"),
                        step.bakeSeconds() + " differs from the first step's " + bakeSeconds,
                        "the same interval on every step of a linear schedule");
            }
            if (step.approval() && index != steps.size() - 2) {
                violations.add(
                        child(at, "approval"),
                        "CodeDeploy shifts the next increment when the interval ends, approved or not",
                        "approval only on the last step before 100 %, which gates CodeDeploy's AfterAllowTraffic hook");
            }
            normalised.add(new StepSpec(
                    step.weight(), step.bakeSeconds(), step.bakeSeconds(), step.minRequests(), step.approval()));
        }
        if (linear && increment * (steps.size() - 1) >= 100 || linear && increment * steps.size() < 100) {
            violations.add(
                    element(path, steps.size() - 1),
                    "a linear schedule of " + increment + " % reaches 100 % after " + (int) Math.ceil(100.0 / increment)
                            + " increments, not " + steps.size(),
                    allowed);
        }
        normalised.add(steps.get(steps.size() - 1));
        return normalised;
    }

    /**
     * Metric dimensions may name the release rather than spell it: {@code {canaryVersion}} is the
     * version Tollgate publishes, {@code {canaryTargetGroup}} the target group of the side it
     * deploys to. Each placeholder must be one the target resolves.
     */
    void placeholders(JsonNode analysis, String path, Target target) {
        Set<String> known = knownPlaceholders(target);
        checkDimensions(analysis, path, known, target);
        JsonNode metrics = analysis.get("metrics");
        if (metrics != null && metrics.isArray()) {
            for (int index = 0; index < metrics.size(); index++) {
                checkDimensions(metrics.get(index), element(child(path, "metrics"), index), known, target);
            }
        }
    }

    static Set<String> knownPlaceholders(Target target) {
        if (target instanceof EcsAlbTarget) {
            return ECS_ALB_PLACEHOLDERS;
        }
        if (target instanceof CodeDeployTarget codeDeploy && codeDeploy.ecs() != null) {
            return CODEDEPLOY_ECS_PLACEHOLDERS;
        }
        return LAMBDA_PLACEHOLDERS;
    }

    private void checkDimensions(JsonNode node, String path, Set<String> known, Target target) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (String side : List.of("canaryDimensions", "baselineDimensions")) {
            JsonNode dimensions = node.get(side);
            if (dimensions == null || !dimensions.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> dimension : dimensions.properties()) {
                if (!dimension.getValue().isTextual()) {
                    continue;
                }
                Matcher placeholder = PLACEHOLDER.matcher(dimension.getValue().asText());
                while (placeholder.find()) {
                    if (!known.contains(placeholder.group(1))) {
                        violations.add(
                                child(child(path, side), dimension.getKey()),
                                "{" + Violations.abbreviate(placeholder.group(1)) + "} is not a placeholder a "
                                        + typeName(target) + " target resolves",
                                String.join(
                                        ", ",
                                        new TreeSet<>(known)
                                                .stream()
                                                        .map(name -> "{" + name + "}")
                                                        .toList()));
                    }
                }
            }
        }
    }

    private static String typeName(Target target) {
        if (target instanceof EcsAlbTarget) {
            return "ECS_ALB";
        }
        return target instanceof LambdaAliasTarget
                ? "LAMBDA_ALIAS"
                : "CODEDEPLOY " + ((CodeDeployTarget) target).computePlatform();
    }
}
