package dev.tollgate.functions.validate;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.ServiceLock;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import dev.tollgate.spec.PlacementReach;

/** First state of every deployment: checks the request and passes on the normalised spec, touching nothing. */
public final class ValidateRequestHandler extends JsonHandler<JsonNode, ValidateRequestHandler.Validated> {

    private final SpecValidator validator = new SpecValidator();
    private final String homeRegion;

    public ValidateRequestHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public ValidateRequestHandler(FunctionEnvironment environment) {
        super(JsonNode.class);
        this.homeRegion = environment.region();
    }

    @Override
    protected String primingEvent() {
        return "validate-request.json";
    }

    @Override
    protected Validated handle(JsonNode request, Context context) {
        DeploymentSpec spec = validator.validate(request);
        PlacementReach.check(spec, homeRegion);
        String homeAccount = context == null || context.getInvokedFunctionArn() == null ? null
                : ServiceLock.accountOf(context.getInvokedFunctionArn());
        return new Validated(spec, ServiceLock.name(spec, homeRegion, homeAccount));
    }

    /** {@code serviceLock} names the service's lock where the spec places it ({@link ServiceLock}); the lock states take it. */
    public record Validated(DeploymentSpec spec, String serviceLock) {
    }
}
