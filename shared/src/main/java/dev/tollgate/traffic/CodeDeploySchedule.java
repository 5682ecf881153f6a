package dev.tollgate.traffic;

import dev.tollgate.spec.StepSpec;
import java.util.List;
import java.util.Map;

/**
 * The one traffic schedule CodeDeploy can follow for the spec's steps: a canary increment then the
 * rest ({@code TimeBasedCanary}), or equal increments at equal intervals ({@code TimeBasedLinear}).
 * Validation has already refused steps that are neither. Names a predefined deployment
 * configuration when one matches, otherwise a Tollgate configuration created once per shape.
 *
 * @see <a href="https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html">Deployment configurations</a>
 */
public record CodeDeploySchedule(String type, int percentage, int intervalMinutes) {

    public static final String CANARY = "TimeBasedCanary";
    public static final String LINEAR = "TimeBasedLinear";

    private static final Map<String, String> PREDEFINED = Map.ofEntries(
            Map.entry("Lambda/TimeBasedCanary/10/5", "CodeDeployDefault.LambdaCanary10Percent5Minutes"),
            Map.entry("Lambda/TimeBasedCanary/10/10", "CodeDeployDefault.LambdaCanary10Percent10Minutes"),
            Map.entry("Lambda/TimeBasedCanary/10/15", "CodeDeployDefault.LambdaCanary10Percent15Minutes"),
            Map.entry("Lambda/TimeBasedCanary/10/30", "CodeDeployDefault.LambdaCanary10Percent30Minutes"),
            Map.entry("Lambda/TimeBasedLinear/10/1", "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"),
            Map.entry("Lambda/TimeBasedLinear/10/2", "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes"),
            Map.entry("Lambda/TimeBasedLinear/10/3", "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes"),
            Map.entry("Lambda/TimeBasedLinear/10/10", "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes"),
            Map.entry("ECS/TimeBasedCanary/10/5", "CodeDeployDefault.ECSCanary10Percent5Minutes"),
            Map.entry("ECS/TimeBasedCanary/10/15", "CodeDeployDefault.ECSCanary10Percent15Minutes"),
            Map.entry("ECS/TimeBasedLinear/10/1", "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"),
            Map.entry("ECS/TimeBasedLinear/10/3", "CodeDeployDefault.ECSLinear10PercentEvery3Minutes"));

    /** Two steps are a canary; more are linear increments of the first step's weight. */
    public static CodeDeploySchedule of(List<StepSpec> steps) {
        StepSpec first = steps.get(0);
        return new CodeDeploySchedule(
                steps.size() == 2 ? CANARY : LINEAR, first.weight(), Math.max(1, first.bakeSeconds() / 60));
    }

    public boolean predefined(String computePlatform) {
        return PREDEFINED.containsKey(key(computePlatform));
    }

    public String configName(String computePlatform) {
        String predefined = PREDEFINED.get(key(computePlatform));
        if (predefined != null) {
            return predefined;
        }
        return CANARY.equals(type)
                ? "Tollgate-" + computePlatform + "-Canary" + percentage + "Percent" + intervalMinutes + "Minutes"
                : "Tollgate-" + computePlatform + "-Linear" + percentage + "PercentEvery" + intervalMinutes + "Minutes";
    }

    public String describe() {
        return CANARY.equals(type)
                ? percentage + " % for " + intervalMinutes + " min, then 100 %"
                : percentage + " % more every " + intervalMinutes + " min until 100 %";
    }

    private String key(String computePlatform) {
        return computePlatform + "/" + type + "/" + percentage + "/" + intervalMinutes;
    }
}
