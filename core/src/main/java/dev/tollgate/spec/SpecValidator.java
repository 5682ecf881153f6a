package dev.tollgate.spec;

import static dev.tollgate.spec.Violations.child;
import static dev.tollgate.spec.Violations.element;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.spec.AnalysisSpec.InconclusivePolicy;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.MetricSpec.MetricRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a deployment request against every rule at once and returns it normalised (defaults
 * filled in). A normalised spec validates to itself, so any step may re-validate what it receives.
 * The rules and their reasons are listed in {@code docs/spec.md}, whose field tables
 * {@code SpecFieldTablesTest} checks against this class's answers: a field added here needs its row there.
 * A spec whose longest rollout could not finish within Step Functions' quotas is refused with the
 * figures ({@link RolloutBudget}, {@code docs/quotas.md}). The parts with rules of their own are checked beside it, one
 * class each: {@link TargetValidation}, {@link SecretsValidation}, {@link MigrationsValidation}, {@link SmokeTestValidation},
 * {@link PlacementValidation}.
 */
public final class SpecValidator {

    public static final int MAX_STEPS = 20;
    public static final int MAX_METRICS = 50;
    public static final int MAX_ALARMS = 100;
    public static final int MAX_BAKE_SECONDS = 86_400;
    public static final int DEFAULT_PERIOD_SECONDS = 60;
    public static final long DEFAULT_MIN_REQUESTS = 100;
    public static final double DEFAULT_FALSE_POSITIVE_RATE = 0.01;
    public static final int DEFAULT_HEALTH_TIMEOUT_SECONDS = 900;
    public static final int DEFAULT_SLO_WINDOW_DAYS = 28;
    public static final double DEFAULT_BURN_RATE_LIMIT = 14.4;

    // Step Functions execution names allow 1-80 characters (RolloutBudget.EXECUTION_NAME_MAX_CHARACTERS), and only
    // these
    // if the execution is to log to CloudWatch Logs; the id is also used in record keys and resource names.
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,79}");
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    // CloudWatch: namespaces and metric names are 1-255 printable ASCII characters, namespaces may not start with ':'
    // (Metric.Namespace pattern [^:].* in
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Metric.html).
    private static final Pattern CLOUDWATCH_NAME = Pattern.compile("[\\x21-\\x7E][\\x20-\\x7E]{0,254}");
    private static final Pattern CLOUDWATCH_NAMESPACE = Pattern.compile("[\\x21-\\x39\\x3B-\\x7E][\\x20-\\x7E]{0,254}");
    // Dimension names follow the namespace rules; values are 1-1024 printable ASCII with at least one non-space
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html).
    private static final Pattern DIMENSION_NAME = CLOUDWATCH_NAMESPACE;
    private static final Pattern DIMENSION_VALUE = Pattern.compile("(?=.*[\\x21-\\x7E])[\\x20-\\x7E]{1,1024}");
    private static final Pattern STAT =
            Pattern.compile("Sum|Average|Minimum|Maximum|SampleCount|p(\\d{1,2}(\\.\\d{1,2})?|100)");
    // Alarm names are any UTF-8 but ASCII control characters, 1-255 long (PutMetricAlarm).
    private static final Pattern ALARM_NAME = Pattern.compile("\\P{Cntrl}{1,255}");
    private static final Set<Integer> SUB_MINUTE_PERIODS = Set.of(1, 5, 10, 30);

    private static final Set<String> TOP_FIELDS = Set.of(
            "deploymentId",
            "service",
            "target",
            "secrets",
            "migrations",
            "steps",
            "analysis",
            "override",
            "afterPromotion",
            "smokeTest",
            "region",
            "roleArn");
    private static final Set<String> AFTER_PROMOTION_FIELDS = Set.of("rollbackWindowSeconds", "watchSeconds");
    private static final Set<String> STEP_FIELDS =
            Set.of("weight", "bakeSeconds", "maxBakeSeconds", "minRequests", "approval");
    private static final Set<String> ANALYSIS_FIELDS = Set.of(
            "periodSeconds",
            "metrics",
            "slo",
            "alarms",
            "falsePositiveRate",
            "onInconclusive",
            "minRequests",
            "canaryDimensions",
            "baselineDimensions");
    private static final Set<String> METRIC_FIELDS = Set.of(
            "name",
            "kind",
            "numerator",
            "denominator",
            "namespace",
            "metric",
            "stat",
            "canaryDimensions",
            "baselineDimensions",
            "direction",
            "tolerance",
            "critical",
            "dryRun");
    private static final Set<String> ALARM_FIELDS = Set.of("name", "dryRun");
    private static final Set<String> METRIC_REF_FIELDS = Set.of("namespace", "metric");
    private static final Set<String> SLO_FIELDS = Set.of("objective", "windowDays", "burnRateLimit", "metric");

    /** Validates and normalises; throws {@link InvalidSpecException} listing every violation. */
    public DeploymentSpec validate(JsonNode request) {
        Violations violations = new Violations();
        if (request == null || !request.isObject()) {
            violations.add(
                    "$",
                    "the deployment spec must be a JSON object, found "
                            + (request == null ? "nothing" : Violations.describe(request)),
                    "an object; see docs/spec.md");
            throw new InvalidSpecException(violations.all());
        }
        String root = "$";
        violations.onlyKnownFields(request, root, TOP_FIELDS);
        Optional<String> deploymentId = violations.string(
                request,
                "deploymentId",
                root,
                true,
                DEPLOYMENT_ID,
                "1 to 80 letters, digits, '-' or '_', starting with a letter or digit");
        Optional<String> service = violations.string(
                request,
                "service",
                root,
                true,
                SERVICE,
                "1 to 64 letters, digits, '-' or '_', starting with a letter or digit");
        Optional<Target> target = violations
                .object(request, "target", root, true)
                .flatMap(node -> target(node, child(root, "target"), violations));
        List<SecretRef> secrets = new SecretsValidation(violations).secrets(request, root);
        MigrationSpec migrations = violations
                .object(request, "migrations", root, false)
                .map(node -> new MigrationsValidation(violations).migrations(node, child(root, "migrations"), secrets))
                .orElse(MigrationSpec.NONE);
        Optional<JsonNode> analysisNode = violations.object(request, "analysis", root, true);
        AnalysisDefaults analysisDefaults = analysisNode
                .map(node -> analysisDefaults(node, child(root, "analysis"), violations))
                .orElse(AnalysisDefaults.FALLBACK);
        Optional<AnalysisSpec> analysis =
                analysisNode.flatMap(node -> analysis(node, child(root, "analysis"), analysisDefaults, violations));
        Optional<List<StepSpec>> steps = stepsArray(request, root, violations)
                .flatMap(node -> steps(node, child(root, "steps"), analysisDefaults, violations));
        boolean override = violations.bool(request, "override", root).orElse(false);
        Optional<PlacementValidation.Placement> placement =
                new PlacementValidation(violations).placement(request, root, false);
        AfterPromotionSpec afterPromotion = violations
                .object(request, "afterPromotion", root, false)
                .map(node -> afterPromotion(
                        node, child(root, "afterPromotion"), target.orElse(null), analysis.orElse(null), violations))
                .orElse(null);
        SmokeTestSpec smokeTest = violations
                .object(request, "smokeTest", root, false)
                .map(node -> new SmokeTestValidation(violations)
                        .smokeTest(node, child(root, "smokeTest"), target.orElse(null)))
                .orElse(null);
        // What the target imposes on the rest of the spec: CodeDeploy's schedules, the placeholders it resolves.
        if (target.isPresent() && target.get() instanceof CodeDeployTarget && steps.isPresent()) {
            steps = Optional.of(new TargetValidation(violations)
                    .codeDeploySteps(steps.get(), request.get("steps"), child(root, "steps")));
        }
        if (target.isPresent() && analysisNode.isPresent()) {
            new TargetValidation(violations).placeholders(analysisNode.get(), child(root, "analysis"), target.get());
        }

        List<InvalidSpecException.Violation> found = violations.all();
        if (!found.isEmpty()) {
            throw new InvalidSpecException(found);
        }
        DeploymentSpec spec = new DeploymentSpec(
                deploymentId.orElseThrow(),
                service.orElseThrow(),
                target.orElseThrow(),
                secrets,
                migrations,
                steps.orElseThrow(),
                analysis.orElseThrow(),
                override,
                afterPromotion,
                smokeTest,
                placement.orElseThrow().region(),
                placement.orElseThrow().roleArn());
        // Last, on a spec otherwise valid: what its longest rollout would cost against the execution's quotas.
        List<InvalidSpecException.Violation> overQuota = RolloutBudget.of(spec).overQuota();
        if (!overQuota.isEmpty()) {
            throw new InvalidSpecException(overQuota);
        }
        return spec;
    }

    // ---- after the promotion (docs/spec.md, docs/operations.md) ----

    /**
     * The rollback window. CodeDeploy ends its deployment at the promotion and cannot stop one that
     * has succeeded, so Tollgate cannot keep a way back there: the deployment group's own settings
     * (the blue/green termination wait) keep the original version, and the way back is a deployment
     * of the previous revision.
     */
    private static AfterPromotionSpec afterPromotion(
            JsonNode node, String path, Target target, AnalysisSpec analysis, Violations violations) {
        violations.onlyKnownFields(node, path, AFTER_PROMOTION_FIELDS);
        int window = violations
                .integer(
                        node,
                        "rollbackWindowSeconds",
                        path,
                        false,
                        0,
                        AfterPromotionSpec.MAX_ROLLBACK_WINDOW_SECONDS,
                        "seconds")
                .orElse(0L)
                .intValue();
        if (window > 0 && target instanceof CodeDeployTarget) {
            violations.add(
                    child(path, "rollbackWindowSeconds"),
                    "a CODEDEPLOY target cannot keep a rollback window: CodeDeploy "
                            + "cannot stop a deployment that has succeeded, and Tollgate's promotion is that success",
                    "0 or no afterPromotion for CODEDEPLOY (keep the original task set with the deployment group's blue/green "
                            + "termination wait, and roll back by deploying the previous revision); a window needs ECS_ALB or LAMBDA_ALIAS");
        }
        int watch = violations
                .integer(node, "watchSeconds", path, false, 0, AfterPromotionSpec.MAX_WATCH_SECONDS, "seconds")
                .orElse(0L)
                .intValue();
        if (watch > 0) {
            watch(watch, window, child(path, "watchSeconds"), target, analysis, violations);
        }
        return new AfterPromotionSpec(window, watch);
    }

    /**
     * The post-promotion watch: it needs a way back (not CodeDeploy, for the reason above), at least two
     * periods to judge, a RATIO metric (the only request count, without which the judge never passes and
     * every watch would end in a rollback), and, with the rollback window after it, at most a day of the lock.
     */
    private static void watch(
            int watch, int window, String path, Target target, AnalysisSpec analysis, Violations violations) {
        if (target instanceof CodeDeployTarget) {
            violations.add(
                    path,
                    "a CODEDEPLOY target cannot be watched after the promotion: CodeDeploy cannot stop a deployment "
                            + "that has succeeded, so a FAIL would have no way back",
                    "0 or no afterPromotion for CODEDEPLOY (use the deployment group's alarms and auto-rollback after it); "
                            + "a watch needs ECS_ALB or LAMBDA_ALIAS");
        }
        if (analysis != null && watch < AfterPromotionSpec.MIN_WATCH_PERIODS * analysis.periodSeconds()) {
            violations.add(
                    path,
                    "a watch of " + watch + " s is shorter than " + AfterPromotionSpec.MIN_WATCH_PERIODS
                            + " analysis periods (" + analysis.periodSeconds()
                            + " s each): the judge would see no full period to judge",
                    "0 (no watch) or at least " + AfterPromotionSpec.MIN_WATCH_PERIODS * analysis.periodSeconds()
                            + " seconds");
        }
        if (analysis != null && analysis.metrics().stream().noneMatch(metric -> metric.kind() == MetricKind.RATIO)) {
            violations.add(
                    path,
                    "a watch needs a RATIO metric in analysis.metrics: without a request count the judge never "
                            + "reaches its minimum sample, so every watch would end undecided and roll back",
                    "0 (no watch), or add a RATIO metric (an error rate)");
        }
        if ((long) watch + window > AfterPromotionSpec.MAX_WATCH_SECONDS) {
            violations.add(
                    path,
                    "the watch (" + watch + " s) and the rollback window after it (" + window + " s) hold the "
                            + "service's lock for " + (watch + window) + " s",
                    "watchSeconds + rollbackWindowSeconds at most " + AfterPromotionSpec.MAX_WATCH_SECONDS
                            + " seconds (a day)");
        }
    }

    /** The target's own rules live in {@link TargetValidation}, one method per target type. */
    private Optional<Target> target(JsonNode node, String path, Violations violations) {
        return new TargetValidation(violations).target(node, path);
    }

    /** Analysis-level values the steps and metrics inherit. */
    private record AnalysisDefaults(
            int periodSeconds,
            long minRequests,
            InheritedDimensions canaryDimensions,
            InheritedDimensions baselineDimensions) {
        static final AnalysisDefaults FALLBACK = new AnalysisDefaults(
                DEFAULT_PERIOD_SECONDS, DEFAULT_MIN_REQUESTS, InheritedDimensions.NONE, InheritedDimensions.NONE);
    }

    /**
     * Dimensions stated at analysis level for metrics that state none. {@code dimensions} is null when
     * none were stated, or when they were stated but invalid (that violation is already reported, so the
     * metrics that inherit them stay quiet).
     */
    private record InheritedDimensions(boolean stated, Map<String, String> dimensions) {
        static final InheritedDimensions NONE = new InheritedDimensions(false, null);
    }

    private AnalysisDefaults analysisDefaults(JsonNode node, String path, Violations violations) {
        Optional<Long> period = violations.integer(node, "periodSeconds", path, false, 1, 3_600, "seconds");
        if (period.isPresent() && !SUB_MINUTE_PERIODS.contains(period.get().intValue()) && period.get() % 60 != 0) {
            violations.add(
                    child(path, "periodSeconds"),
                    period.get() + " is not a CloudWatch period",
                    "1, 5, 10, 30 or a multiple of 60");
        }
        long minRequests = violations
                .integer(node, "minRequests", path, false, 1, 1_000_000_000, "requests")
                .orElse(DEFAULT_MIN_REQUESTS);
        InheritedDimensions canary = new InheritedDimensions(
                node.hasNonNull("canaryDimensions"),
                dimensions(node, "canaryDimensions", path, violations).orElse(null));
        InheritedDimensions baseline = new InheritedDimensions(
                node.hasNonNull("baselineDimensions"),
                dimensions(node, "baselineDimensions", path, violations).orElse(null));
        if (canary.dimensions() != null && canary.dimensions().equals(baseline.dimensions())) {
            sameDimensions(path, "canaryDimensions", "baselineDimensions", violations);
        }
        return new AnalysisDefaults(
                period.map(Long::intValue).orElse(DEFAULT_PERIOD_SECONDS), minRequests, canary, baseline);
    }

    private static void sameDimensions(String path, String field, String otherField, Violations violations) {
        violations.add(
                child(path, field),
                "select the same data as " + otherField + ", so the canary would be compared with itself",
                "dimensions that tell the new version from the old one");
    }

    private Optional<Map<String, String>> dimensions(JsonNode node, String field, String path, Violations violations) {
        return violations.stringMap(
                node,
                field,
                path,
                30,
                DIMENSION_NAME,
                DIMENSION_VALUE,
                "at most 30 CloudWatch dimensions, names and values of printable ASCII, names not starting with ':'");
    }

    private Optional<JsonNode> stepsArray(JsonNode request, String root, Violations violations) {
        JsonNode value = request.get("steps");
        // The last step is the promotion, so one step alone would send 100 % at once with nothing judged
        // (and ShiftTraffic, which only runs the steps before the last, would have nothing to run).
        if (value != null && value.isArray() && value.size() == 1) {
            violations.add(
                    child(root, "steps"),
                    "has only one step, so the release would go to 100 % without ever being judged",
                    "2 to " + MAX_STEPS + " steps: at least one canary step below 100 before the final step at 100");
            return Optional.empty();
        }
        return violations.array(request, "steps", root, true, 2, MAX_STEPS);
    }

    private Optional<List<StepSpec>> steps(
            JsonNode array, String path, AnalysisDefaults defaults, Violations violations) {
        List<StepSpec> steps = new ArrayList<>();
        int previousWeight = 0;
        boolean valid = true;
        for (int index = 0; index < array.size(); index++) {
            String at = element(path, index);
            JsonNode node = array.get(index);
            if (!node.isObject()) {
                violations.add(
                        at,
                        "must be an object, found " + Violations.describe(node),
                        "{\"weight\": 5, \"bakeSeconds\": 300}");
                valid = false;
                continue;
            }
            violations.onlyKnownFields(node, at, STEP_FIELDS);
            boolean last = index == array.size() - 1;
            Optional<Long> weight = violations.integer(node, "weight", at, true, 1, 100, "percent");
            if (weight.isPresent()) {
                if (weight.get() <= previousWeight) {
                    violations.add(
                            child(at, "weight"),
                            weight.get() + " does not increase on the step before (" + previousWeight + ")",
                            "weights strictly increasing, ending at 100");
                    valid = false;
                }
                if (last && weight.get() != 100) {
                    violations.add(
                            child(at, "weight"),
                            "the last step has weight " + weight.get(),
                            "the last step at 100 (the promotion)");
                    valid = false;
                }
                if (!last && weight.get() == 100) {
                    violations.add(child(at, "weight"), "100 before the last step", "only the last step at 100");
                    valid = false;
                }
                previousWeight = weight.get().intValue();
            } else {
                valid = false;
            }
            if (last) {
                valid &= promotionStepHasNoBake(node, at, violations);
                steps.add(new StepSpec(100, 0, 0, 0, false));
                continue;
            }
            Optional<Long> bake = violations.integer(
                    node,
                    "bakeSeconds",
                    at,
                    true,
                    defaults.periodSeconds(),
                    MAX_BAKE_SECONDS,
                    "seconds (at least one analysis period)");
            Optional<Long> maxBake = violations.integer(
                    node, "maxBakeSeconds", at, false, defaults.periodSeconds(), 2L * MAX_BAKE_SECONDS, "seconds");
            if (bake.isPresent() && maxBake.isPresent() && maxBake.get() < bake.get()) {
                violations.add(
                        child(at, "maxBakeSeconds"),
                        maxBake.get() + " is shorter than bakeSeconds (" + bake.get() + ")",
                        "at least bakeSeconds");
                valid = false;
            }
            long minRequests = violations
                    .integer(node, "minRequests", at, false, 1, 1_000_000_000, "requests")
                    .orElse(defaults.minRequests());
            boolean approval = violations.bool(node, "approval", at).orElse(false);
            if (weight.isEmpty() || bake.isEmpty()) {
                valid = false;
                continue;
            }
            int bakeSeconds = bake.get().intValue();
            // An undecided judge may keep baking up to twice the bake time before onInconclusive applies.
            int maxBakeSeconds = maxBake.map(Long::intValue).orElse(Math.min(2 * bakeSeconds, 2 * MAX_BAKE_SECONDS));
            steps.add(new StepSpec(weight.get().intValue(), bakeSeconds, maxBakeSeconds, minRequests, approval));
        }
        return valid && steps.size() == array.size() ? Optional.of(steps) : Optional.empty();
    }

    private boolean promotionStepHasNoBake(JsonNode node, String at, Violations violations) {
        boolean valid = true;
        for (String field : List.of("bakeSeconds", "maxBakeSeconds", "minRequests")) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull() && !(value.isNumber() && value.asDouble() == 0)) {
                violations.add(
                        child(at, field),
                        "the final 100 % step is the promotion: no baseline is left to compare against",
                        "nothing (put the bake on the step before)");
                valid = false;
            }
        }
        Optional<Boolean> approval = violations.bool(node, "approval", at);
        if (node.hasNonNull("approval") && approval.isEmpty()) {
            valid = false;
        } else if (approval.orElse(false)) {
            violations.add(
                    child(at, "approval"),
                    "an approval after 100 % comes too late",
                    "approval on the step before, which gates the promotion");
            valid = false;
        }
        return valid;
    }

    private Optional<AnalysisSpec> analysis(
            JsonNode node, String path, AnalysisDefaults defaults, Violations violations) {
        violations.onlyKnownFields(node, path, ANALYSIS_FIELDS);
        double falsePositiveRate = violations
                .decimal(node, "falsePositiveRate", path, false, 0, false, 0.2, true)
                .orElse(DEFAULT_FALSE_POSITIVE_RATE);
        InconclusivePolicy onInconclusive = violations
                .enumValue(node, "onInconclusive", path, false, InconclusivePolicy.class)
                .orElse(InconclusivePolicy.PAUSE);
        Optional<JsonNode> metricsNode = violations.array(node, "metrics", path, false, 0, MAX_METRICS);
        List<MetricSpec> metrics = new ArrayList<>();
        // The rules about the whole list (an SLO needs a RATIO, something must be judged) only apply once
        // every metric could be read; otherwise they would repeat a fault already reported on a metric.
        boolean metricsRead = metricsNode.isPresent() || !node.hasNonNull("metrics");
        boolean valid = true;
        if (metricsNode.isPresent()) {
            Set<String> names = new HashSet<>();
            for (int index = 0; index < metricsNode.get().size(); index++) {
                String at = element(child(path, "metrics"), index);
                JsonNode metricNode = metricsNode.get().get(index);
                if (!metricNode.isObject()) {
                    violations.add(
                            at, "must be an object, found " + Violations.describe(metricNode), "a metric object");
                    metricsRead = false;
                    continue;
                }
                Optional<MetricSpec> metric = metric(metricNode, at, defaults, violations);
                if (metric.isPresent() && !names.add(metric.get().name())) {
                    violations.add(
                            child(at, "name"),
                            "'" + metric.get().name() + "' is used by an earlier metric",
                            "unique names");
                    valid = false;
                }
                metric.ifPresent(metrics::add);
                metricsRead &= metric.isPresent();
            }
        }
        Optional<SloSpec> slo = violations
                .object(node, "slo", path, false)
                .flatMap(sloNode -> slo(sloNode, child(path, "slo"), violations));
        boolean sloStated = node.path("slo").isObject();
        WatchedAlarms alarms = alarms(node, path, violations);
        boolean alarmsRead = alarms != null;
        if (metricsRead && alarmsRead && metrics.isEmpty() && alarms.names().isEmpty()) {
            violations.add(
                    child(path, "metrics"),
                    "the analysis has no metrics and no alarms, so nothing could ever fail a step",
                    "at least one metric or alarm");
            valid = false;
        } else if (metricsRead
                && alarmsRead
                && metrics.stream().allMatch(MetricSpec::dryRun)
                && alarms.dryRun().size() == alarms.names().size()) {
            violations.add(
                    child(path, "metrics"),
                    "every metric and alarm is a dry run, so nothing could ever fail a step",
                    "at least one metric or alarm without dryRun");
            valid = false;
        }
        Optional<String> sloMetric = metricsRead && sloStated
                ? sloMetric(node.get("slo"), child(path, "slo"), metrics, violations)
                : Optional.empty();
        valid &= metricsRead && alarmsRead && (slo.isPresent() || !sloStated) && (sloMetric.isPresent() || !sloStated);
        if (!valid) {
            return Optional.empty();
        }
        SloSpec measured = slo.map(stated -> new SloSpec(
                        stated.objective(), stated.windowDays(), stated.burnRateLimit(), sloMetric.orElseThrow()))
                .orElse(null);
        return Optional.of(new AnalysisSpec(
                defaults.periodSeconds(),
                metrics,
                measured,
                alarms.names(),
                falsePositiveRate,
                onInconclusive,
                alarms.dryRun()));
    }

    /**
     * The metric the SLO is measured on: the one {@code slo.metric} names, or else the first RATIO
     * where an increase is bad. Its errors over requests are what the budget and the burn rate count;
     * a success rate ({@code DECREASE_IS_BAD}) or a statistic counts no failures.
     */
    private static Optional<String> sloMetric(
            JsonNode sloNode, String at, List<MetricSpec> metrics, Violations violations) {
        // A dry-run metric cannot carry the SLO: the burn rate and the error budget decide, a dry run never does.
        List<String> failureCounts = metrics.stream()
                .filter(metric -> metric.kind() == MetricKind.RATIO
                        && metric.direction() == Direction.INCREASE_IS_BAD
                        && !metric.dryRun())
                .map(MetricSpec::name)
                .toList();
        String allowed = failureCounts.isEmpty()
                ? "an INCREASE_IS_BAD RATIO metric (errors over requests) in analysis.metrics, named by slo.metric (the first one by default)"
                : "the name of an INCREASE_IS_BAD RATIO metric (errors over requests): "
                        + String.join(", ", failureCounts);
        JsonNode named = sloNode.get("metric");
        if (named == null || named.isNull()) {
            if (failureCounts.isEmpty()) {
                violations.add(at, "an SLO needs an error-rate metric to measure its burn rate", allowed);
                return Optional.empty();
            }
            return Optional.of(failureCounts.get(0));
        }
        if (!named.isTextual() || !METRIC_NAME.matcher(named.asText()).matches()) {
            return Optional.empty(); // reported where the SLO's fields were read
        }
        Optional<MetricSpec> metric = metrics.stream()
                .filter(candidate -> candidate.name().equals(named.asText()))
                .findFirst();
        if (metric.isEmpty()) {
            violations.add(
                    child(at, "metric"),
                    "'" + named.asText() + "' is not the name of a metric in analysis.metrics",
                    allowed);
            return Optional.empty();
        }
        if (!failureCounts.contains(named.asText())) {
            if (metric.get().dryRun()) {
                violations.add(
                        child(at, "metric"),
                        "'" + named.asText() + "' is a dry run, which never decides anything",
                        allowed);
                return Optional.empty();
            }
            String what = metric.get().kind() == MetricKind.RATIO
                    ? "a DECREASE_IS_BAD RATIO (a success rate)"
                    : "a STATISTIC";
            violations.add(
                    child(at, "metric"), "'" + named.asText() + "' is " + what + ", which counts no failures", allowed);
            return Optional.empty();
        }
        return Optional.of(named.asText());
    }

    private Optional<MetricSpec> metric(JsonNode node, String at, AnalysisDefaults defaults, Violations violations) {
        violations.onlyKnownFields(node, at, METRIC_FIELDS);
        Optional<String> name = violations.string(
                node,
                "name",
                at,
                true,
                METRIC_NAME,
                "1 to 64 lower-case letters, digits or '-', starting with a letter");
        Optional<MetricKind> kind = violations.enumValue(node, "kind", at, true, MetricKind.class);
        Direction direction = violations
                .enumValue(node, "direction", at, false, Direction.class)
                .orElse(Direction.INCREASE_IS_BAD);
        Optional<Double> tolerance = violations.decimal(node, "tolerance", at, true, 0, false, 10, true);
        boolean critical = violations.bool(node, "critical", at).orElse(false);
        boolean dryRun = violations.bool(node, "dryRun", at).orElse(false);
        Optional<Map<String, String>> canary =
                metricDimensions(node, "canaryDimensions", at, defaults.canaryDimensions(), violations);
        Optional<Map<String, String>> baseline =
                metricDimensions(node, "baselineDimensions", at, defaults.baselineDimensions(), violations);
        boolean valid = canary.isPresent() && baseline.isPresent();
        if (valid && canary.equals(baseline)) {
            // When both sides are inherited, the analysis-level fields were reported already.
            if (node.hasNonNull("canaryDimensions")) {
                sameDimensions(at, "canaryDimensions", "baselineDimensions", violations);
            } else if (node.hasNonNull("baselineDimensions")) {
                sameDimensions(at, "baselineDimensions", "canaryDimensions", violations);
            }
            valid = false;
        }
        MetricRef numerator = null;
        MetricRef denominator = null;
        String namespace = null;
        String metricName = null;
        String stat = null;
        if (kind.isPresent() && kind.get() == MetricKind.RATIO) {
            numerator = violations
                    .object(node, "numerator", at, true)
                    .flatMap(ref -> metricRef(ref, child(at, "numerator"), violations))
                    .orElse(null);
            denominator = violations
                    .object(node, "denominator", at, true)
                    .flatMap(ref -> metricRef(ref, child(at, "denominator"), violations))
                    .orElse(null);
            for (String field : List.of("namespace", "metric", "stat")) {
                if (node.hasNonNull(field)) {
                    violations.add(child(at, field), "does not apply to a RATIO metric", "numerator and denominator");
                    valid = false;
                }
            }
            valid &= numerator != null && denominator != null;
        } else if (kind.isPresent()) {
            namespace = violations
                    .string(node, "namespace", at, true, CLOUDWATCH_NAMESPACE, "a CloudWatch namespace")
                    .orElse(null);
            metricName = violations
                    .string(node, "metric", at, true, CLOUDWATCH_NAME, "a CloudWatch metric name")
                    .orElse(null);
            stat = violations
                    .string(
                            node,
                            "stat",
                            at,
                            true,
                            STAT,
                            "Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99 or p99.9")
                    .orElse(null);
            for (String field : List.of("numerator", "denominator")) {
                if (node.hasNonNull(field)) {
                    violations.add(
                            child(at, field), "does not apply to a STATISTIC metric", "namespace, metric and stat");
                    valid = false;
                }
            }
            valid &= namespace != null && metricName != null && stat != null;
        }
        if (!valid
                || name.isEmpty()
                || kind.isEmpty()
                || tolerance.isEmpty()
                || canary.isEmpty()
                || baseline.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MetricSpec(
                name.get(),
                kind.get(),
                numerator,
                denominator,
                namespace,
                metricName,
                stat,
                canary.get(),
                baseline.get(),
                direction,
                tolerance.get(),
                critical,
                dryRun));
    }

    /** The metric's own dimensions, or else the analysis-level ones; empty (and reported once) when neither is usable. */
    private Optional<Map<String, String>> metricDimensions(
            JsonNode node, String field, String at, InheritedDimensions inherited, Violations violations) {
        if (node.hasNonNull(field)) {
            return dimensions(node, field, at, violations);
        }
        if (inherited.dimensions() != null) {
            return Optional.of(inherited.dimensions());
        }
        if (!inherited.stated()) {
            violations.add(
                    child(at, field),
                    "is required here or in analysis." + field,
                    "the CloudWatch dimensions that select the " + field.replace("Dimensions", "") + "'s data");
        }
        return Optional.empty();
    }

    private Optional<MetricRef> metricRef(JsonNode node, String at, Violations violations) {
        violations.onlyKnownFields(node, at, METRIC_REF_FIELDS);
        Optional<String> namespace =
                violations.string(node, "namespace", at, true, CLOUDWATCH_NAMESPACE, "a CloudWatch namespace");
        Optional<String> metric =
                violations.string(node, "metric", at, true, CLOUDWATCH_NAME, "a CloudWatch metric name");
        if (namespace.isEmpty() || metric.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MetricRef(namespace.get(), metric.get()));
    }

    private Optional<SloSpec> slo(JsonNode node, String at, Violations violations) {
        violations.onlyKnownFields(node, at, SLO_FIELDS);
        Optional<Double> objective = violations.decimal(node, "objective", at, true, 0.5, false, 1, false);
        Optional<Long> windowDays = violations.integer(node, "windowDays", at, false, 1, 90, "days");
        Optional<Double> burnRateLimit = violations.decimal(node, "burnRateLimit", at, false, 0, false, 1000, true);
        Optional<String> metric = violations.string(
                node,
                "metric",
                at,
                false,
                METRIC_NAME,
                "the name of an INCREASE_IS_BAD RATIO metric of analysis.metrics");
        if (objective.isEmpty()
                || (node.hasNonNull("windowDays") && windowDays.isEmpty())
                || (node.hasNonNull("burnRateLimit") && burnRateLimit.isEmpty())
                || (node.hasNonNull("metric") && metric.isEmpty())) {
            return Optional.empty();
        }
        // 14.4 burns 2 % of a 30-day budget in one hour: the page-worthy rate in Google's SRE workbook, and the
        // fastest of the judge's burn-rate tiers (BurnRateCheck). The metric is resolved once the metrics are read.
        return Optional.of(new SloSpec(
                objective.get(),
                windowDays.map(Long::intValue).orElse(DEFAULT_SLO_WINDOW_DAYS),
                burnRateLimit.orElse(DEFAULT_BURN_RATE_LIMIT),
                metric.orElse(null)));
    }

    /** The alarms watched, in the spec's order, and which of them are dry runs. */
    private record WatchedAlarms(List<String> names, List<String> dryRun) {}

    /** Each alarm is a name, or {@code {"name": ..., "dryRun": true}}; null when any could not be read. */
    private WatchedAlarms alarms(JsonNode node, String path, Violations violations) {
        Optional<JsonNode> alarms = violations.array(node, "alarms", path, false, 0, MAX_ALARMS);
        if (alarms.isEmpty()) {
            return node.hasNonNull("alarms") ? null : new WatchedAlarms(List.of(), List.of());
        }
        List<String> names = new ArrayList<>();
        List<String> dryRun = new ArrayList<>();
        boolean valid = true;
        for (int index = 0; index < alarms.get().size(); index++) {
            String at = element(child(path, "alarms"), index);
            JsonNode alarm = alarms.get().get(index);
            Optional<String> name;
            if (alarm.isObject()) {
                violations.onlyKnownFields(alarm, at, ALARM_FIELDS);
                name = violations.string(alarm, "name", at, true, ALARM_NAME, "a CloudWatch alarm name");
                Optional<Boolean> isDryRun = violations.bool(alarm, "dryRun", at);
                valid &= isDryRun.isPresent() || !alarm.hasNonNull("dryRun");
                if (name.isPresent() && isDryRun.orElse(false)) {
                    dryRun.add(name.get());
                }
            } else {
                name = violations.stringValue(
                        alarm, at, ALARM_NAME, "a CloudWatch alarm name, or {\"name\": ..., \"dryRun\": true}");
            }
            if (name.isPresent() && names.contains(name.get())) {
                violations.add(at, "'" + name.get() + "' is listed twice", "each alarm once");
                valid = false;
            }
            name.ifPresent(names::add);
            valid &= name.isPresent();
        }
        return valid ? new WatchedAlarms(names, dryRun) : null;
    }
}
