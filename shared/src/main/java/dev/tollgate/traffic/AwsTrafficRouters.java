package dev.tollgate.traffic;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.aws.OnFirstUse;
import dev.tollgate.secrets.EcsTaskDefinitionPins;
import dev.tollgate.secrets.TaskDefinitionPins;
import dev.tollgate.spec.CodeDeployTarget;
import dev.tollgate.spec.EcsAlbTarget;
import dev.tollgate.spec.LambdaAliasTarget;
import dev.tollgate.spec.Target;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Builds each backend's clients the first time a target of its type is seen, then keeps them for
 * the life of the container, so a function pays only for the backends it actually drives (with SnapStart, all of
 * them are built before the snapshot: {@link OnFirstUse}).
 */
public final class AwsTrafficRouters implements TrafficRouterFactory {

    private final Supplier<EcsClient> ecs;
    private final Supplier<ElasticLoadBalancingV2Client> elb;
    private final Supplier<LambdaClient> lambda;
    private final Supplier<CodeDeployClient> codeDeploy;
    private final TrafficLedger ledger;
    private final String hookFunction;
    private final Clock clock;

    public AwsTrafficRouters(AwsClients clients, TrafficLedger ledger, Clock clock) {
        this.ecs = OnFirstUse.of(() -> clients.build(EcsClient.builder()));
        this.elb = OnFirstUse.of(() -> clients.build(ElasticLoadBalancingV2Client.builder()));
        this.lambda = OnFirstUse.of(() -> clients.build(LambdaClient.builder()));
        this.codeDeploy = OnFirstUse.of(() -> clients.build(CodeDeployClient.builder()));
        this.ledger = ledger;
        this.hookFunction = clients.environment().get(CodeDeployRouter.HOOK_FUNCTION).orElse(null);
        this.clock = clock;
    }

    /**
     * The traffic control a handler uses: these routers, with the traffic record kept in the
     * deployments table through {@code dynamo}.
     */
    public static TrafficControl control(AwsClients clients, DynamoDbClient dynamo, Clock clock) {
        TrafficLedger ledger = new DynamoTrafficLedger(dynamo, clients.environment().require(FunctionEnvironment.TABLE_NAME));
        return new TrafficControl(new AwsTrafficRouters(clients, ledger, clock), ledger);
    }

    @Override
    public TrafficRouter forTarget(Target target) {
        if (target instanceof EcsAlbTarget ecsAlb) {
            return new AlbWeightedRouter(ecsAlb, ecs.get(), elb.get(), new EcsTaskDefinitionPins(ecs.get()), clock);
        }
        if (target instanceof LambdaAliasTarget lambdaAlias) {
            return new LambdaAliasRouter(lambdaAlias, lambda.get());
        }
        if (target instanceof CodeDeployTarget codeDeployTarget) {
            return new CodeDeployRouter(codeDeployTarget, codeDeploy.get(), codeDeployTarget.lambda() != null ? lambda.get() : null,
                    ledger, hookFunction, codeDeployTarget.ecs() != null ? new EcsTaskDefinitionPins(ecs.get()) : TaskDefinitionPins.NONE);
        }
        throw new IllegalArgumentException("no traffic backend for " + target.getClass().getSimpleName());
    }
}
