package dev.tollgate.spec;

import static dev.tollgate.spec.Violations.child;
import static dev.tollgate.spec.Violations.element;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.spec.AnalysisSpec.InconclusivePolicy;
import dev.tollgate.spec.MetricSpec.Direction;
import dev.tollgate.spec.MetricSpec.MetricKind;
import dev.tollgate.spec.MetricSpec.MetricRef;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
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
 * The rules and their reasons are listed in {@code docs/spec.md}.
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

    // Step Functions execution names allow 1-80 characters; the id is also used in record keys and resource names.
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,79}");
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    // CloudWatch: namespaces and metric names are 1-255 printable ASCII characters, namespaces may not start with ':'.
    private static final Pattern CLOUDWATCH_NAME = Pattern.compile("[\\x21-\\x7E][\\x20-\\x7E]{0,254}");
    private static final Pattern DIMENSION_VALUE = Pattern.compile("[\\x20-\\x7E]{1,1024}");
    private static final Pattern STAT = Pattern.compile("Sum|Average|Minimum|Maximum|SampleCount|p(\\d{1,2}(\\.\\d{1,2})?|100)");
    private static final Pattern ALARM_NAME = Pattern.compile("[\\x20-\\x7E]{1,255}");
    private static final Set<Integer> SUB_MINUTE_PERIODS = Set.of(1, 5, 10, 30);

    private static final Set<String> TOP_FIELDS = Set.of(
            "deploymentId", "service", "target", "secrets", "migrations", "steps", "analysis", "override");
    private static final Set<String> MIGRATION_FIELDS = Set.of("mode", "secretId", "locations", "allowDestructive");
    private static final Set<String> STEP_FIELDS = Set.of("weight", "bakeSeconds", "maxBakeSeconds", "minRequests", "approval");
    private static final Set<String> ANALYSIS_FIELDS = Set.of("periodSeconds", "metrics", "slo", "alarms", "falsePositiveRate",
            "onInconclusive", "minRequests", "canaryDimensions", "baselineDimensions");
    private static final Set<String> METRIC_FIELDS = Set.of("name", "kind", "numerator", "denominator", "namespace", "metric",
            "stat", "canaryDimensions", "baselineDimensions", "direction", "tolerance", "critical");
    private static final Set<String> METRIC_REF_FIELDS = Set.of("namespace", "metric");
    private static final Set<String> SLO_FIELDS = Set.of("objective", "windowDays", "burnRateLimit");

    /** Validates and normalises; throws {@link InvalidSpecException} listing every violation. */
    public DeploymentSpec validate(JsonNode request) {
        Violations violations = new Violations();
        if (request == null || !request.isObject()) {
            violations.add("$", "the deployment spec must be a JSON object, found "
                    + (request == null ? "nothing" : Violations.describe(request)), "an object; see docs/spec.md");
            throw new InvalidSpecException(violations.all());
        }
        String root = "$";
        violations.onlyKnownFields(request, root, TOP_FIELDS);
        Optional<String> deploymentId = violations.string(request, "deploymentId", root, true, DEPLOYMENT_ID,
                "1 to 80 letters, digits, '-' or '_', starting with a letter or digit");
        Optional<String> service = violations.string(request, "service", root, true, SERVICE,
                "1 to 64 letters, digits, '-' or '_', starting with a letter or digit");
        Optional<Target> target = violations.object(request, "target", root, true)
                .flatMap(node -> target(node, child(root, "target"), violations));
        List<SecretRef> secrets = secrets(request, root, violations);
        MigrationSpec migrations = violations.object(request, "migrations", root, false)
                .map(node -> migrations(node, child(root, "migrations"), violations))
                .orElse(MigrationSpec.NONE);
        Optional<JsonNode> analysisNode = violations.object(request, "analysis", root, true);
        AnalysisDefaults analysisDefaults = analysisNode
                .map(node -> analysisDefaults(node, child(root, "analysis"), violations))
                .orElse(AnalysisDefaults.FALLBACK);
        Optional<AnalysisSpec> analysis = analysisNode
                .flatMap(node -> analysis(node, child(root, "analysis"), analysisDefaults, violations));
        Optional<List<StepSpec>> steps = violations.array(request, "steps", root, true, 1, MAX_STEPS)
                .flatMap(node -> steps(node, child(root, "steps"), analysisDefaults, violations));
        boolean override = violations.bool(request, "override", root).orElse(false);
        // What the target imposes on the rest of the spec: CodeDeploy's schedules, the placeholders it resolves.
        if (target.isPresent() && target.get() instanceof CodeDeployTarget && steps.isPresent()) {
            steps = Optional.of(new TargetValidation(violations).codeDeploySteps(steps.get(), request.get("steps"), child(root, "steps")));
        }
        if (target.isPresent() && analysisNode.isPresent()) {
            new TargetValidation(violations).placeholders(analysisNode.get(), child(root, "analysis"), target.get());
        }

        List<InvalidSpecException.Violation> found = violations.all();
        if (!found.isEmpty()) {
            throw new InvalidSpecException(found);
        }
        return new DeploymentSpec(deploymentId.orElseThrow(), service.orElseThrow(), target.orElseThrow(), secrets,
                migrations, steps.orElseThrow(), analysis.orElseThrow(), override);
    }

    /** The target's own rules live in {@link TargetValidation}, one method per target type. */
    private Optional<Target> target(JsonNode node, String path, Violations violations) {
        return new TargetValidation(violations).target(node, path);
    }

    private List<SecretRef> secrets(JsonNode request, String root, Violations violations) {
        Optional<JsonNode> secrets = violations.array(request, "secrets", root, false, 0, 20);
        if (secrets.isPresent() && secrets.get().size() > 0) {
            violations.add(child(root, "secrets"), "secrets are not supported by this build yet",
                    "an empty list; fetch-secrets pins secret versions in a later release");
        }
        return List.of();
    }

    private MigrationSpec migrations(JsonNode node, String path, Violations violations) {
        violations.onlyKnownFields(node, path, MIGRATION_FIELDS);
        Optional<MigrationMode> mode = violations.enumValue(node, "mode", path, true, MigrationMode.class);
        if (mode.isPresent() && mode.get() != MigrationMode.NONE) {
            violations.add(child(path, "mode"), mode.get() + " migrations are not supported by this build yet", "NONE");
        }
        return MigrationSpec.NONE;
    }

    /** Analysis-level values the steps and metrics inherit. */
    private record AnalysisDefaults(int periodSeconds, long minRequests, Map<String, String> canaryDimensions,
                                    Map<String, String> baselineDimensions) {
        static final AnalysisDefaults FALLBACK = new AnalysisDefaults(DEFAULT_PERIOD_SECONDS, DEFAULT_MIN_REQUESTS, null, null);
    }

    private AnalysisDefaults analysisDefaults(JsonNode node, String path, Violations violations) {
        Optional<Long> period = violations.integer(node, "periodSeconds", path, false, 1, 3_600, "seconds");
        if (period.isPresent() && !SUB_MINUTE_PERIODS.contains(period.get().intValue()) && period.get() % 60 != 0) {
            violations.add(child(path, "periodSeconds"), period.get() + " is not a CloudWatch period",
                    "1, 5, 10, 30 or a multiple of 60");
        }
        long minRequests = violations.integer(node, "minRequests", path, false, 1, 1_000_000_000, "requests")
                .orElse(DEFAULT_MIN_REQUESTS);
        Map<String, String> canary = dimensions(node, "canaryDimensions", path, violations).orElse(null);
        Map<String, String> baseline = dimensions(node, "baselineDimensions", path, violations).orElse(null);
        return new AnalysisDefaults(period.map(Long::intValue).orElse(DEFAULT_PERIOD_SECONDS), minRequests, canary, baseline);
    }

    private Optional<Map<String, String>> dimensions(JsonNode node, String field, String path, Violations violations) {
        return violations.stringMap(node, field, path, 30, CLOUDWATCH_NAME, DIMENSION_VALUE,
                "at most 30 CloudWatch dimensions, names and values of printable ASCII");
    }

    private Optional<List<StepSpec>> steps(JsonNode array, String path, AnalysisDefaults defaults, Violations violations) {
        List<StepSpec> steps = new ArrayList<>();
        int previousWeight = 0;
        boolean valid = true;
        for (int index = 0; index < array.size(); index++) {
            String at = element(path, index);
            JsonNode node = array.get(index);
            if (!node.isObject()) {
                violations.add(at, "must be an object, found " + Violations.describe(node), "{\"weight\": 5, \"bakeSeconds\": 300}");
                valid = false;
                continue;
            }
            violations.onlyKnownFields(node, at, STEP_FIELDS);
            boolean last = index == array.size() - 1;
            Optional<Long> weight = violations.integer(node, "weight", at, true, 1, 100, "percent");
            if (weight.isPresent()) {
                if (weight.get() <= previousWeight) {
                    violations.add(child(at, "weight"), weight.get() + " does not increase on the step before (" + previousWeight + ")",
                            "weights strictly increasing, ending at 100");
                    valid = false;
                }
                if (last && weight.get() != 100) {
                    violations.add(child(at, "weight"), "the last step has weight " + weight.get(),
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
            Optional<Long> bake = violations.integer(node, "bakeSeconds", at, true, defaults.periodSeconds(), MAX_BAKE_SECONDS,
                    "seconds (at least one analysis period)");
            Optional<Long> maxBake = violations.integer(node, "maxBakeSeconds", at, false, defaults.periodSeconds(),
                    2L * MAX_BAKE_SECONDS, "seconds");
            if (bake.isPresent() && maxBake.isPresent() && maxBake.get() < bake.get()) {
                violations.add(child(at, "maxBakeSeconds"), maxBake.get() + " is shorter than bakeSeconds (" + bake.get() + ")",
                        "at least bakeSeconds");
                valid = false;
            }
            long minRequests = violations.integer(node, "minRequests", at, false, 1, 1_000_000_000, "requests")
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
                violations.add(child(at, field), "the final 100 % step is the promotion: no baseline is left to compare against",
                        "nothing (put the bake on the step before)");
                valid = false;
            }
        }
        JsonNode approval = node.get("approval");
        if (approval != null && approval.asBoolean(false)) {
            violations.add(child(at, "approval"), "an approval after 100 % comes too late",
                    "approval on the step before, which gates the promotion");
            valid = false;
        }
        return valid;
    }

    private Optional<AnalysisSpec> analysis(JsonNode node, String path, AnalysisDefaults defaults, Violations violations) {
        violations.onlyKnownFields(node, path, ANALYSIS_FIELDS);
        double falsePositiveRate = violations.decimal(node, "falsePositiveRate", path, false, 0, false, 0.2, true)
                .orElse(DEFAULT_FALSE_POSITIVE_RATE);
        InconclusivePolicy onInconclusive = violations.enumValue(node, "onInconclusive", path, false, InconclusivePolicy.class)
                .orElse(InconclusivePolicy.PAUSE);
        Optional<JsonNode> metricsNode = violations.array(node, "metrics", path, false, 0, MAX_METRICS);
        List<MetricSpec> metrics = new ArrayList<>();
        boolean valid = true;
        if (metricsNode.isPresent()) {
            Set<String> names = new HashSet<>();
            for (int index = 0; index < metricsNode.get().size(); index++) {
                String at = element(child(path, "metrics"), index);
                JsonNode metricNode = metricsNode.get().get(index);
                if (!metricNode.isObject()) {
                    violations.add(at, "must be an object, found " + Violations.describe(metricNode), "a metric object");
                    valid = false;
                    continue;
                }
                Optional<MetricSpec> metric = metric(metricNode, at, defaults, violations);
                if (metric.isPresent() && !names.add(metric.get().name())) {
                    violations.add(child(at, "name"), "'" + metric.get().name() + "' is used by an earlier metric", "unique names");
                    valid = false;
                }
                metric.ifPresentOrElse(metrics::add, () -> { });
                valid &= metric.isPresent();
            }
        } else if (node.has("metrics")) {
            valid = false;
        }
        Optional<SloSpec> slo = violations.object(node, "slo", path, false).flatMap(sloNode -> slo(sloNode, child(path, "slo"), violations));
        if (node.hasNonNull("slo") && slo.isEmpty()) {
            valid = false;
        }
        List<String> alarms = alarms(node, path, violations);
        if (alarms == null) {
            valid = false;
            alarms = List.of();
        }
        if (valid && metrics.isEmpty() && alarms.isEmpty()) {
            violations.add(child(path, "metrics"), "the analysis has no metrics and no alarms, so nothing could ever fail a step",
                    "at least one metric or alarm");
            valid = false;
        }
        boolean anyRatioMetric = metricsNode.map(array -> java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .anyMatch(metric -> "RATIO".equals(metric.path("kind").asText()))).orElse(false);
        // Judged on the raw kinds, so a RATIO metric with another fault does not also raise this.
        if (slo.isPresent() && !anyRatioMetric) {
            violations.add(child(path, "slo"), "an SLO needs an error-rate metric to measure its burn rate",
                    "a RATIO metric (errors over requests) in analysis.metrics");
            valid = false;
        }
        if (!valid) {
            return Optional.empty();
        }
        return Optional.of(new AnalysisSpec(defaults.periodSeconds(), metrics, slo.orElse(null), alarms, falsePositiveRate,
                onInconclusive));
    }

    private Optional<MetricSpec> metric(JsonNode node, String at, AnalysisDefaults defaults, Violations violations) {
        violations.onlyKnownFields(node, at, METRIC_FIELDS);
        Optional<String> name = violations.string(node, "name", at, true, METRIC_NAME,
                "1 to 64 lower-case letters, digits or '-', starting with a letter");
        Optional<MetricKind> kind = violations.enumValue(node, "kind", at, true, MetricKind.class);
        Direction direction = violations.enumValue(node, "direction", at, false, Direction.class).orElse(Direction.INCREASE_IS_BAD);
        Optional<Double> tolerance = violations.decimal(node, "tolerance", at, true, 0, false, 10, true);
        boolean critical = violations.bool(node, "critical", at).orElse(false);
        Optional<Map<String, String>> canary = dimensions(node, "canaryDimensions", at, violations)
                .or(() -> Optional.ofNullable(defaults.canaryDimensions()));
        Optional<Map<String, String>> baseline = dimensions(node, "baselineDimensions", at, violations)
                .or(() -> Optional.ofNullable(defaults.baselineDimensions()));
        boolean valid = true;
        for (var side : List.of(Map.entry("canaryDimensions", canary), Map.entry("baselineDimensions", baseline))) {
            if (side.getValue().isEmpty() && !node.has(side.getKey())) {
                violations.add(child(at, side.getKey()), "is required here or in analysis." + side.getKey(),
                        "the CloudWatch dimensions that select the " + side.getKey().replace("Dimensions", "") + "'s data");
                valid = false;
            } else if (side.getValue().isEmpty()) {
                valid = false;
            }
        }
        if (canary.isPresent() && canary.equals(baseline)) {
            violations.add(child(at, "canaryDimensions"), "select the same data as baselineDimensions, so the canary would be compared with itself",
                    "dimensions that tell the new version from the old one");
            valid = false;
        }
        MetricRef numerator = null;
        MetricRef denominator = null;
        String namespace = null;
        String metricName = null;
        String stat = null;
        if (kind.isPresent() && kind.get() == MetricKind.RATIO) {
            numerator = violations.object(node, "numerator", at, true).flatMap(ref -> metricRef(ref, child(at, "numerator"), violations)).orElse(null);
            denominator = violations.object(node, "denominator", at, true).flatMap(ref -> metricRef(ref, child(at, "denominator"), violations)).orElse(null);
            for (String field : List.of("namespace", "metric", "stat")) {
                if (node.has(field)) {
                    violations.add(child(at, field), "does not apply to a RATIO metric", "numerator and denominator");
                    valid = false;
                }
            }
            valid &= numerator != null && denominator != null;
        } else if (kind.isPresent()) {
            namespace = violations.string(node, "namespace", at, true, CLOUDWATCH_NAME, "a CloudWatch namespace").orElse(null);
            metricName = violations.string(node, "metric", at, true, CLOUDWATCH_NAME, "a CloudWatch metric name").orElse(null);
            stat = violations.string(node, "stat", at, true, STAT,
                    "Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99 or p99.9").orElse(null);
            for (String field : List.of("numerator", "denominator")) {
                if (node.has(field)) {
                    violations.add(child(at, field), "does not apply to a STATISTIC metric", "namespace, metric and stat");
                    valid = false;
                }
            }
            valid &= namespace != null && metricName != null && stat != null;
        }
        if (!valid || name.isEmpty() || kind.isEmpty() || tolerance.isEmpty() || canary.isEmpty() || baseline.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MetricSpec(name.get(), kind.get(), numerator, denominator, namespace, metricName, stat,
                canary.get(), baseline.get(), direction, tolerance.get(), critical));
    }

    private Optional<MetricRef> metricRef(JsonNode node, String at, Violations violations) {
        violations.onlyKnownFields(node, at, METRIC_REF_FIELDS);
        Optional<String> namespace = violations.string(node, "namespace", at, true, CLOUDWATCH_NAME, "a CloudWatch namespace");
        Optional<String> metric = violations.string(node, "metric", at, true, CLOUDWATCH_NAME, "a CloudWatch metric name");
        if (namespace.isEmpty() || metric.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MetricRef(namespace.get(), metric.get()));
    }

    private Optional<SloSpec> slo(JsonNode node, String at, Violations violations) {
        violations.onlyKnownFields(node, at, SLO_FIELDS);
        Optional<Double> objective = violations.decimal(node, "objective", at, true, 0.5, false, 1, false);
        int windowDays = violations.integer(node, "windowDays", at, false, 1, 90, "days").map(Long::intValue).orElse(28);
        Optional<Double> burnRateLimit = violations.decimal(node, "burnRateLimit", at, false, 0, false, 1000, true);
        if (objective.isEmpty() || (node.has("windowDays") && !node.get("windowDays").isIntegralNumber())
                || (node.hasNonNull("burnRateLimit") && burnRateLimit.isEmpty())) {
            return Optional.empty();
        }
        // 14.4 burns 2 % of a 30-day budget in one hour: the page-worthy rate in Google's SRE workbook.
        return Optional.of(new SloSpec(objective.get(), windowDays, burnRateLimit.orElse(14.4)));
    }

    private List<String> alarms(JsonNode node, String path, Violations violations) {
        Optional<JsonNode> alarms = violations.array(node, "alarms", path, false, 0, MAX_ALARMS);
        if (alarms.isEmpty()) {
            return node.hasNonNull("alarms") ? null : List.of();
        }
        List<String> names = new ArrayList<>();
        boolean valid = true;
        for (int index = 0; index < alarms.get().size(); index++) {
            String at = element(child(path, "alarms"), index);
            Optional<String> name = violations.stringValue(alarms.get().get(index), at, ALARM_NAME, "a CloudWatch alarm name");
            if (name.isPresent() && names.contains(name.get())) {
                violations.add(at, "'" + name.get() + "' is listed twice", "each alarm once");
                valid = false;
            }
            name.ifPresent(names::add);
            valid &= name.isPresent();
        }
        return valid ? names : null;
    }
}
