package dev.tollgate.functions.shift;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.traffic.AwsTrafficRouters;
import dev.tollgate.traffic.ShiftService;

/** Sets the canary's absolute weight for a step (safe to retry) and starts the step's bake clock. */
public final class ShiftTrafficHandler extends JsonHandler<ShiftTrafficHandler.Request, StepProgress> {

    private final ShiftService shifts;

    public ShiftTrafficHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public ShiftTrafficHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)));
    }

    public ShiftTrafficHandler(ShiftService shifts) {
        super(Request.class);
        this.shifts = shifts;
    }

    private static ShiftService wire(AwsClients clients) {
        return new ShiftService(new AwsTrafficRouters(clients), Wiring.deploymentStore(clients), Wiring.clock(),
                Wiring.deploymentEvents(clients));
    }

    @Override
    protected StepProgress handle(Request request, Context context) {
        return shifts.shift(required(request.spec(), "spec"), required(request.stepIndex(), "stepIndex"));
    }

    public record Request(dev.tollgate.spec.DeploymentSpec spec, Integer stepIndex) {
    }
}
