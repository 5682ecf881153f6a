package dev.tollgate.traffic;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.spec.EcsAlbTarget;
import dev.tollgate.spec.Target;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Builds each backend's clients the first time a target of its type is seen, then keeps them for
 * the life of the container, so a function pays only for the backends it actually drives.
 */
public final class AwsTrafficRouters implements TrafficRouterFactory {

    private final Supplier<EcsClient> ecs;
    private final Supplier<ElasticLoadBalancingV2Client> elb;

    public AwsTrafficRouters(AwsClients clients) {
        this.ecs = memoize(() -> clients.build(EcsClient.builder()));
        this.elb = memoize(() -> clients.build(ElasticLoadBalancingV2Client.builder()));
    }

    @Override
    public TrafficRouter forTarget(Target target) {
        if (target instanceof EcsAlbTarget ecsAlb) {
            return new AlbWeightedRouter(ecsAlb, ecs.get(), elb.get());
        }
        throw new IllegalArgumentException("no traffic backend for " + target.getClass().getSimpleName());
    }

    private static <T> Supplier<T> memoize(Supplier<T> factory) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = factory.get();
                }
                return value;
            }
        };
    }
}
