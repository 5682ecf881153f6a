package dev.tollgate.traffic;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.aws.TargetClients;
import dev.tollgate.secrets.EcsTaskDefinitionPins;
import dev.tollgate.secrets.TaskDefinitionPins;
import dev.tollgate.spec.CodeDeployTarget;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.EcsAlbTarget;
import dev.tollgate.spec.LambdaAliasTarget;
import dev.tollgate.spec.Target;
import dev.tollgate.traffic.alb.AlbWeightedRouter;
import dev.tollgate.traffic.codedeploy.CodeDeployRouter;
import dev.tollgate.traffic.lambda.LambdaAliasRouter;
import java.time.Clock;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Builds each backend's router for a deployment, with the clients of the region and role its spec places the target
 * in ({@link TargetClients}: built the first time a placement and service are seen, then kept for the life of the
 * container, so a function pays only for the backends it actually drives; with SnapStart, the home region's are
 * built before the snapshot). The traffic record stays in Tollgate's own deployments table.
 */
public final class AwsTrafficRouters implements TrafficRouterFactory {

    private final TargetClients targets;
    private final TrafficLedger ledger;
    private final String hookFunction;
    private final Clock clock;

    public AwsTrafficRouters(AwsClients clients, TrafficLedger ledger, Clock clock) {
        this.targets = clients.targets();
        targets.buildAtHomeBeforeSnapshot(EcsClient::builder);
        targets.buildAtHomeBeforeSnapshot(ElasticLoadBalancingV2Client::builder);
        targets.buildAtHomeBeforeSnapshot(LambdaClient::builder);
        targets.buildAtHomeBeforeSnapshot(CodeDeployClient::builder);
        this.ledger = ledger;
        this.hookFunction =
                clients.environment().get(CodeDeployRouter.HOOK_FUNCTION).orElse(null);
        this.clock = clock;
    }

    /**
     * The traffic control a handler uses: these routers, with the traffic record kept in the
     * deployments table through {@code dynamo}.
     */
    public static TrafficControl control(AwsClients clients, DynamoDbClient dynamo, Clock clock) {
        TrafficLedger ledger =
                new DynamoTrafficLedger(dynamo, clients.environment().require(FunctionEnvironment.TABLE_NAME));
        return new TrafficControl(new AwsTrafficRouters(clients, ledger, clock), ledger);
    }

    @Override
    public TrafficRouter forDeployment(DeploymentSpec spec) {
        Target target = spec.target();
        if (target instanceof EcsAlbTarget ecsAlb) {
            EcsClient ecs = targets.build(EcsClient.builder(), spec);
            return new AlbWeightedRouter(
                    ecsAlb,
                    ecs,
                    targets.build(ElasticLoadBalancingV2Client.builder(), spec),
                    new EcsTaskDefinitionPins(ecs),
                    clock);
        }
        if (target instanceof LambdaAliasTarget lambdaAlias) {
            return new LambdaAliasRouter(lambdaAlias, targets.build(LambdaClient.builder(), spec));
        }
        if (target instanceof CodeDeployTarget codeDeployTarget) {
            return new CodeDeployRouter(
                    codeDeployTarget,
                    targets.build(CodeDeployClient.builder(), spec),
                    codeDeployTarget.lambda() != null ? targets.build(LambdaClient.builder(), spec) : null,
                    ledger,
                    hookFunction,
                    codeDeployTarget.ecs() != null
                            ? new EcsTaskDefinitionPins(targets.build(EcsClient.builder(), spec))
                            : TaskDefinitionPins.NONE);
        }
        throw new IllegalArgumentException(
                "no traffic backend for " + target.getClass().getSimpleName());
    }
}
