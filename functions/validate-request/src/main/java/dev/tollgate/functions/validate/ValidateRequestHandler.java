package dev.tollgate.functions.validate;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.ServiceLock;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.release.ReleaseMembership;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.PlacementReach;
import dev.tollgate.spec.ReleaseSpec;
import dev.tollgate.spec.ReleaseValidator;
import dev.tollgate.spec.SpecValidator;

/**
 * First state of every deployment and of every release: checks the request and passes on the normalised spec,
 * touching nothing. Three requests: a deployment spec; a release in waves ({@code waves}), for the release
 * state machine; and a release's target ({@code {"spec": ..., "release": ...}}), as the release starts its child.
 */
public final class ValidateRequestHandler extends JsonHandler<JsonNode, Object> {

    private final SpecValidator validator = new SpecValidator();
    private final ReleaseValidator releaseValidator = new ReleaseValidator();
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
    protected Object handle(JsonNode request, Context context) {
        String homeAccount = context == null || context.getInvokedFunctionArn() == null
                ? null
                : ServiceLock.accountOf(context.getInvokedFunctionArn());
        if (request != null && request.has("waves")) {
            ReleaseSpec release = releaseValidator.validate(request);
            PlacementReach.check(release, homeRegion);
            return new ValidatedRelease(
                    release.withServiceLocks(spec -> ServiceLock.name(spec, homeRegion, homeAccount)));
        }
        ReleaseMembership membership = ReleaseMembership.NONE;
        JsonNode specRequest = request;
        if (request != null && request.has("release")) {
            membership = ReleaseMembership.of(request);
            specRequest = request.get("spec");
        }
        DeploymentSpec spec = validator.validate(specRequest);
        PlacementReach.check(spec, homeRegion);
        return new Validated(spec, ServiceLock.name(spec, homeRegion, homeAccount), membership);
    }

    /**
     * {@code serviceLock} names the service's lock where the spec places it ({@link ServiceLock}); the lock states take it.
     * {@code release} is the release the deployment is a target of, empty when it runs on its own; always present, as the
     * rollback window's state reads it.
     */
    public record Validated(DeploymentSpec spec, String serviceLock, ReleaseMembership release) {

        public Validated(DeploymentSpec spec, String serviceLock) {
            this(spec, serviceLock, ReleaseMembership.NONE);
        }
    }

    /** The release state machine's input from here on: every target's composed spec and its lock. */
    public record ValidatedRelease(ReleaseSpec release) {}
}
