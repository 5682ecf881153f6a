package dev.tollgate.traffic.codedeploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.FunctionEnvironment.MisconfiguredException;
import dev.tollgate.json.Json;
import dev.tollgate.spec.CodeDeployTarget;
import dev.tollgate.traffic.CodeDeployPlan;
import dev.tollgate.traffic.CodeDeploySchedule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.services.codedeploy.model.TrafficRoutingConfig;
import software.amazon.awssdk.services.codedeploy.model.TrafficRoutingType;

/**
 * What Tollgate hands CodeDeploy for a release, rendered from the target and the plan without calling
 * anything: the AppSpec with Tollgate's gate hooks, its checksum, and the traffic routing of a
 * deployment configuration of Tollgate's own.
 *
 * @see <a href="https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html">AppSpec file reference</a>
 */
final class CodeDeployDocuments {

    private final CodeDeployTarget target;
    private final String hookFunction;

    /** @param hookFunction the ARN of Tollgate's lifecycle-hook function (null when not configured: rendering an AppSpec then fails) */
    CodeDeployDocuments(CodeDeployTarget target, String hookFunction) {
        this.target = target;
        this.hookFunction = hookFunction;
    }

    /** The traffic routing of Tollgate's own deployment configuration for a schedule no predefined one matches. */
    static TrafficRoutingConfig routingConfig(CodeDeploySchedule schedule) {
        if (CodeDeploySchedule.CANARY.equals(schedule.type())) {
            return TrafficRoutingConfig.builder()
                    .type(TrafficRoutingType.TIME_BASED_CANARY)
                    .timeBasedCanary(canary ->
                            canary.canaryPercentage(schedule.percentage()).canaryInterval(schedule.intervalMinutes()))
                    .build();
        }
        return TrafficRoutingConfig.builder()
                .type(TrafficRoutingType.TIME_BASED_LINEAR)
                .timeBasedLinear(linear ->
                        linear.linearPercentage(schedule.percentage()).linearInterval(schedule.intervalMinutes()))
                .build();
    }

    /** The AppSpec CodeDeploy deploys: the revision, Tollgate's gate hooks and the team's own. */
    String appSpec(CodeDeployPlan plan) {
        if (hookFunction == null) {
            throw new MisconfiguredException("environment variable " + CodeDeployRouter.HOOK_FUNCTION
                    + " is not set: CodeDeploy targets need Tollgate's "
                    + "lifecycle-hook function (template.yaml sets it on the functions that create deployments)");
        }
        ObjectNode appSpec = Json.MAPPER.createObjectNode();
        appSpec.put("version", 0.0);
        ObjectNode resource = appSpec.putArray("Resources").addObject();
        ArrayNode hookList = appSpec.putArray("Hooks");
        if (plan.isLambda()) {
            ObjectNode function =
                    resource.putObject(target.lambda().functionName().replaceAll("[^A-Za-z0-9]", ""));
            function.put("Type", "AWS::Lambda::Function");
            ObjectNode properties = function.putObject("Properties");
            properties.put("Name", target.lambda().functionName());
            properties.put("Alias", target.lambda().alias());
            properties.put("CurrentVersion", plan.baselineVersion());
            properties.put("TargetVersion", plan.canaryVersion());
        } else {
            ObjectNode service = resource.putObject("TargetService");
            service.put("Type", "AWS::ECS::Service");
            ObjectNode properties = service.putObject("Properties");
            properties.put("TaskDefinition", plan.canaryVersion());
            ObjectNode loadBalancer = properties.putObject("LoadBalancerInfo");
            loadBalancer.put("ContainerName", target.ecs().containerName());
            loadBalancer.put("ContainerPort", target.ecs().containerPort());
            if (target.ecs().platformVersion() != null) {
                properties.put("PlatformVersion", target.ecs().platformVersion());
            }
        }
        target.hooks().forEach((event, function) -> hookList.addObject().put(event, function));
        if (!plan.isLambda()) {
            hookList.addObject().put("AfterAllowTestTraffic", hookFunction);
        }
        hookList.addObject().put("AfterAllowTraffic", hookFunction);
        return Json.write(appSpec);
    }

    /** The SHA-256 CodeDeploy checks the AppSpec content against, in hex. */
    static String sha256(String content) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }
}
