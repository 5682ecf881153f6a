package dev.tollgate.functions.secrets;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.SecretPinningService;

/**
 * Pins the secret versions the release needs: the AWSCURRENT version of each, checked for its
 * required keys. Names, ARNs, version ids and key names leave this function; values never do.
 */
public final class FetchSecretsHandler extends JsonHandler<FetchSecretsHandler.Request, PinnedSecrets> {

    private final SecretPinningService pinning;

    public FetchSecretsHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public FetchSecretsHandler(FunctionEnvironment environment) {
        this(new SecretPinningService(Wiring.targetSecrets(new AwsClients(environment))));
    }

    public FetchSecretsHandler(SecretPinningService pinning) {
        super(Request.class);
        this.pinning = pinning;
    }

    @Override
    protected String primingEvent() {
        return "fetch-secrets.json";
    }

    @Override
    protected PinnedSecrets handle(Request request, Context context) {
        return pinning.pin(required(request.spec(), "spec"));
    }

    public record Request(dev.tollgate.spec.DeploymentSpec spec) {}
}
