package dev.tollgate.spec;

import static dev.tollgate.spec.Violations.child;
import static dev.tollgate.spec.Violations.element;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.spec.SmokeTestSpec.HttpProbeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules of {@code $.smokeTest} (docs/spec.md#smoketest): one form, a test endpoint the target can offer. */
final class SmokeTestValidation {

    private static final Set<String> FIELDS = Set.of("function", "probe", "testListenerArn", "timeoutSeconds");
    private static final Set<String> PROBE_FIELDS = Set.of("path", "expectedStatuses", "attempts", "timeoutSeconds");
    // A function name or ARN, optionally qualified by a version or alias (what Invoke accepts).
    private static final Pattern FUNCTION = Pattern.compile(
            "[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?|arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?");
    private static final Pattern LISTENER_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}");
    // An absolute path with its query, printable ASCII without spaces (what goes on the request line as is).
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7E]{0,1023}");
    static final int MAX_EXPECTED_STATUSES = 10;

    private final Violations violations;

    SmokeTestValidation(Violations violations) {
        this.violations = violations;
    }

    SmokeTestSpec smokeTest(JsonNode node, String path, Target target) {
        violations.onlyKnownFields(node, path, FIELDS);
        if (target instanceof CodeDeployTarget) {
            violations.add(
                    path,
                    "a CODEDEPLOY target cannot take a smokeTest: CodeDeploy runs its own test hooks before any traffic",
                    "no smokeTest for CODEDEPLOY; name a BeforeAllowTraffic hook in target.hooks (on ECS it runs once the test "
                            + "listener reaches the replacement tasks, after AfterAllowTestTraffic, which Tollgate answers); "
                            + "a smokeTest needs ECS_ALB or LAMBDA_ALIAS");
        }
        Optional<String> function = violations.string(
                node,
                "function",
                path,
                false,
                FUNCTION,
                "a Lambda function name or ARN, optionally with :version or :alias");
        Optional<HttpProbeSpec> probe = violations
                .object(node, "probe", path, false)
                .flatMap(probeNode -> probe(probeNode, child(path, "probe")));
        boolean hasFunction = node.hasNonNull("function");
        boolean hasProbe = node.hasNonNull("probe");
        if (hasFunction == hasProbe) {
            violations.add(
                    path,
                    hasFunction ? "names both function and probe" : "names neither function nor probe",
                    "exactly one of function (the team's smoke-test Lambda) or probe (Tollgate's HTTP probe)");
        }
        Optional<Long> timeout = violations.integer(
                node, "timeoutSeconds", path, false, 1, SmokeTestSpec.MAX_FUNCTION_TIMEOUT_SECONDS, "seconds");
        if (hasProbe && node.hasNonNull("timeoutSeconds")) {
            violations.add(
                    child(path, "timeoutSeconds"),
                    "applies to a function only",
                    "no timeoutSeconds beside probe; the probe's own is probe.timeoutSeconds (per attempt)");
        }
        Optional<String> testListener = violations.string(
                node, "testListenerArn", path, false, LISTENER_ARN, "an Application Load Balancer listener ARN");
        if (target instanceof EcsAlbTarget alb) {
            if (!node.hasNonNull("testListenerArn")) {
                violations.add(
                        child(path, "testListenerArn"),
                        "is required for an ECS_ALB target",
                        "a listener users do not call (its own port), which Tollgate points at the canary's target group");
            } else if (testListener.isPresent() && testListener.get().equals(alb.listenerArn())) {
                violations.add(
                        child(path, "testListenerArn"),
                        "is the production listener (target.listenerArn)",
                        "a separate test listener: users must not reach the canary before the first step");
            }
        } else if (target instanceof LambdaAliasTarget && node.hasNonNull("testListenerArn")) {
            violations.add(
                    child(path, "testListenerArn"),
                    "applies to ECS_ALB only",
                    "no testListenerArn for LAMBDA_ALIAS: its canary is reached through the new version's qualified ARN");
        }
        Integer functionTimeout = hasFunction
                ? timeout.orElse((long) SmokeTestSpec.DEFAULT_FUNCTION_TIMEOUT_SECONDS)
                        .intValue()
                : null;
        return new SmokeTestSpec(function.orElse(null), probe.orElse(null), testListener.orElse(null), functionTimeout);
    }

    private Optional<HttpProbeSpec> probe(JsonNode node, String path) {
        violations.onlyKnownFields(node, path, PROBE_FIELDS);
        Optional<String> probePath = violations.string(
                node,
                "path",
                path,
                true,
                PATH,
                "an absolute path such as /health, 1 to 1024 printable characters without spaces");
        List<Integer> statuses = violations
                .array(node, "expectedStatuses", path, false, 1, MAX_EXPECTED_STATUSES)
                .map(array -> statuses(array, child(path, "expectedStatuses")))
                .orElse(List.of(200));
        int attempts = violations
                .integer(node, "attempts", path, false, 1, HttpProbeSpec.MAX_ATTEMPTS, "")
                .orElse((long) HttpProbeSpec.DEFAULT_ATTEMPTS)
                .intValue();
        int timeout = violations
                .integer(node, "timeoutSeconds", path, false, 1, HttpProbeSpec.MAX_TIMEOUT_SECONDS, "seconds")
                .orElse((long) HttpProbeSpec.DEFAULT_TIMEOUT_SECONDS)
                .intValue();
        return probePath.map(probed -> new HttpProbeSpec(probed, statuses, attempts, timeout));
    }

    private List<Integer> statuses(JsonNode array, String path) {
        List<Integer> statuses = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            JsonNode status = array.get(index);
            if (!status.canConvertToInt()
                    || !status.isIntegralNumber()
                    || status.asInt() < 100
                    || status.asInt() > 599) {
                violations.add(
                        element(path, index),
                        Violations.describe(status) + " is not an HTTP status",
                        "a whole number from 100 to 599");
            } else if (statuses.contains(status.asInt())) {
                violations.add(element(path, index), status.asInt() + " is listed twice", "each status once");
            } else {
                statuses.add(status.asInt());
            }
        }
        return statuses;
    }
}
