package dev.tollgate.functions.secrets;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.spec.DeploymentSpec;
import java.util.List;

/**
 * Pins the secret versions the release needs. This build accepts no secrets in the spec (validation
 * refuses them), so the list of pinned versions is empty; the state exists so the flow is whole.
 */
public final class FetchSecretsHandler extends JsonHandler<FetchSecretsHandler.Request, FetchSecretsHandler.Pinned> {

    public FetchSecretsHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public FetchSecretsHandler(FunctionEnvironment environment) {
        super(Request.class);
    }

    @Override
    protected Pinned handle(Request request, Context context) {
        DeploymentSpec spec = required(request.spec(), "spec");
        return new Pinned(List.of(), spec.secrets().size());
    }

    public record Request(DeploymentSpec spec) {
    }

    /** Names, ARNs and version ids only: never a secret value. */
    public record Pinned(List<Object> secrets, int requested) {
    }
}
