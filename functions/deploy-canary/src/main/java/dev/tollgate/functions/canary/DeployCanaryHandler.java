package dev.tollgate.functions.canary;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.AwsTrafficRouters;
import dev.tollgate.traffic.CanaryService;
import dev.tollgate.traffic.CanaryService.CanaryStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code DEPLOY} starts the new version at 0 % traffic, reading the pinned secret versions where
 * its platform allows (and pins the release into the spec);
 * {@code CHECK_HEALTH} is one poll of its readiness. The waiting between polls is a Wait state,
 * never a sleeping Lambda.
 */
public final class DeployCanaryHandler extends JsonHandler<DeployCanaryHandler.Request, CanaryStatus> {

    /** Seconds between health polls; the local stack sets 1. */
    public static final String POLL_SECONDS = "CANARY_POLL_SECONDS";

    private final CanaryService canaries;
    private final int pollSeconds;

    public DeployCanaryHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public DeployCanaryHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)), environment.getInt(POLL_SECONDS, 15));
    }

    public DeployCanaryHandler(CanaryService canaries, int pollSeconds) {
        super(Request.class);
        this.canaries = canaries;
        this.pollSeconds = pollSeconds;
    }

    private static CanaryService wire(AwsClients clients) {
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        return new CanaryService(AwsTrafficRouters.control(clients, dynamo, Wiring.clock()),
                new DynamoDeploymentStore(dynamo, clients.environment().require(FunctionEnvironment.TABLE_NAME)), Wiring.clock());
    }

    @Override
    protected String primingEvent() {
        return "deploy-canary.json";
    }

    @Override
    protected CanaryStatus handle(Request request, Context context) {
        DeploymentSpec spec = required(request.spec(), "spec");
        return switch (required(request.action(), "action")) {
            case DEPLOY -> canaries.deploy(spec, request.secrets() == null ? PinnedSecrets.NONE : request.secrets(), pollSeconds);
            case CHECK_HEALTH -> canaries.checkHealth(spec, required(request.canary(), "canary"));
        };
    }

    public enum CanaryAction { DEPLOY, CHECK_HEALTH }

    /** {@code secrets} is FetchSecrets' output (the pinned versions), for DEPLOY. */
    public record Request(CanaryAction action, DeploymentSpec spec, @Nullable PinnedSecrets secrets, @Nullable CanaryStatus canary) {
    }
}
