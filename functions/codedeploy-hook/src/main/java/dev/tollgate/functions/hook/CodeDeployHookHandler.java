package dev.tollgate.functions.hook;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.traffic.DynamoTrafficLedger;
import dev.tollgate.traffic.codedeploy.CodeDeployHooks;
import dev.tollgate.traffic.codedeploy.CodeDeployHooks.HookResult;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * CodeDeploy's lifecycle hook for Tollgate's deployments ({@code AfterAllowTraffic}, and on ECS
 * {@code AfterAllowTestTraffic}): answers Succeeded or Failed from the deployment's record, or
 * parks the hook for Tollgate's Promote or RollBack to answer once the judge has decided.
 *
 * @see <a href="https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html">AppSpec hooks</a>
 */
public final class CodeDeployHookHandler extends JsonHandler<CodeDeployHookHandler.HookEvent, HookResult> {

    private final CodeDeployHooks hooks;

    public CodeDeployHookHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public CodeDeployHookHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)));
    }

    public CodeDeployHookHandler(CodeDeployHooks hooks) {
        super(HookEvent.class);
        this.hooks = hooks;
    }

    private static CodeDeployHooks wire(AwsClients clients) {
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        String table = clients.environment().require(FunctionEnvironment.TABLE_NAME);
        return new CodeDeployHooks(
                clients.build(CodeDeployClient.builder()),
                new DynamoDeploymentStore(dynamo, table),
                new DynamoTrafficLedger(dynamo, table),
                Wiring.clock());
    }

    @Override
    protected String primingEvent() {
        return "codedeploy-hook.json";
    }

    @Override
    protected HookResult handle(HookEvent event, Context context) {
        return hooks.handle(
                required(event.deploymentId(), "DeploymentId"),
                required(event.hookExecutionId(), "LifecycleEventHookExecutionId"));
    }

    /** The event CodeDeploy invokes a hook function with. */
    public record HookEvent(
            @JsonProperty("DeploymentId") String deploymentId,
            @JsonProperty("LifecycleEventHookExecutionId") String hookExecutionId) {}
}
