package dev.tollgate.functions.canary;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.aws.Placed;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import dev.tollgate.rollout.CanaryService;
import dev.tollgate.rollout.CanaryService.CanaryStatus;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.smoke.AwsTestEndpoints;
import dev.tollgate.smoke.FunctionInvoker;
import dev.tollgate.smoke.JdkHttpProber;
import dev.tollgate.smoke.LambdaFunctionInvoker;
import dev.tollgate.smoke.SmokeTestService;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.AwsTrafficRouters;
import dev.tollgate.traffic.TrafficControl;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * {@code DEPLOY} starts the new version at 0 % traffic, reading the pinned secret versions where
 * its platform allows (and pins the release into the spec);
 * {@code CHECK_HEALTH} is one poll of its readiness. The waiting between polls is a Wait state,
 * never a sleeping Lambda. {@code SMOKE_TEST} runs the spec's smoke test against the healthy canary
 * at 0 % and adds its outcome to the canary's status.
 */
public final class DeployCanaryHandler extends JsonHandler<DeployCanaryHandler.Request, CanaryStatus> {

    /** Seconds between health polls; the local stack sets 1. */
    public static final String POLL_SECONDS = "CANARY_POLL_SECONDS";

    private final CanaryService canaries;
    private final SmokeTestService smokeTests;
    private final int pollSeconds;

    public DeployCanaryHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public DeployCanaryHandler(FunctionEnvironment environment) {
        this(new AwsClients(environment), environment.getInt(POLL_SECONDS, 15));
    }

    private DeployCanaryHandler(AwsClients clients, int pollSeconds) {
        this(clients, clients.build(DynamoDbClient.builder()), pollSeconds);
    }

    private DeployCanaryHandler(AwsClients clients, DynamoDbClient dynamo, int pollSeconds) {
        this(
                AwsTrafficRouters.control(clients, dynamo, Wiring.clock()),
                new DynamoDeploymentStore(dynamo, clients.environment().require(FunctionEnvironment.TABLE_NAME)),
                clients,
                pollSeconds);
    }

    private DeployCanaryHandler(TrafficControl traffic, DeploymentStore store, AwsClients clients, int pollSeconds) {
        this(new CanaryService(traffic, store, Wiring.clock()), smokeTests(traffic, store, clients), pollSeconds);
    }

    public DeployCanaryHandler(CanaryService canaries, SmokeTestService smokeTests, int pollSeconds) {
        super(Request.class);
        this.canaries = canaries;
        this.smokeTests = smokeTests;
        this.pollSeconds = pollSeconds;
    }

    /**
     * The smoke test's clients are built on its first use (or before a SnapStart snapshot), for the region and role the
     * deployment's spec places its target in: most deployments have none.
     */
    private static SmokeTestService smokeTests(TrafficControl traffic, DeploymentStore store, AwsClients clients) {
        Placed<LambdaClient> lambda = spec -> clients.targets().build(LambdaClient.builder(), spec);
        Placed<ElasticLoadBalancingV2Client> elb =
                spec -> clients.targets().build(ElasticLoadBalancingV2Client.builder(), spec);
        Placed<FunctionInvoker> invoker = spec -> new LambdaFunctionInvoker(lambda.at(spec));
        return new SmokeTestService(
                traffic,
                new AwsTestEndpoints(elb, lambda),
                invoker,
                new JdkHttpProber(),
                store,
                Wiring.clock(),
                DeployCanaryHandler::sleep,
                Wiring.deploymentEvents(clients));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected String primingEvent() {
        return "deploy-canary.json";
    }

    @Override
    protected CanaryStatus handle(Request request, Context context) {
        DeploymentSpec spec = required(request.spec(), "spec");
        return switch (required(request.action(), "action")) {
            case DEPLOY ->
                canaries.deploy(spec, request.secrets() == null ? PinnedSecrets.NONE : request.secrets(), pollSeconds);
            case CHECK_HEALTH -> canaries.checkHealth(spec, required(request.canary(), "canary"));
            case SMOKE_TEST -> required(request.canary(), "canary").withSmokeTest(smokeTests.run(spec));
        };
    }

    public enum CanaryAction {
        DEPLOY,
        CHECK_HEALTH,
        SMOKE_TEST
    }

    /** {@code secrets} is FetchSecrets' output (the pinned versions), for DEPLOY. */
    public record Request(
            CanaryAction action,
            DeploymentSpec spec,
            @Nullable PinnedSecrets secrets,
            @Nullable CanaryStatus canary) {}
}
