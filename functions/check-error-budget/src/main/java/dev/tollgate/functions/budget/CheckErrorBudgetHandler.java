package dev.tollgate.functions.budget;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.budget.ErrorBudget;
import dev.tollgate.budget.ErrorBudgetService;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.spec.DeploymentSpec;

/** Refuses the deployment when the live version has burnt its error budget (unless the spec overrides). */
public final class CheckErrorBudgetHandler extends JsonHandler<CheckErrorBudgetHandler.Request, ErrorBudget> {

    private final ErrorBudgetService budgets;

    public CheckErrorBudgetHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public CheckErrorBudgetHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)));
    }

    public CheckErrorBudgetHandler(ErrorBudgetService budgets) {
        super(Request.class);
        this.budgets = budgets;
    }

    private static ErrorBudgetService wire(AwsClients clients) {
        return new ErrorBudgetService(Wiring.targetMetrics(clients), Wiring.deploymentStore(clients), Wiring.clock());
    }

    @Override
    protected String primingEvent() {
        return "check-error-budget.json";
    }

    @Override
    protected ErrorBudget handle(Request request, Context context) {
        return budgets.check(required(request.spec(), "spec"));
    }

    public record Request(DeploymentSpec spec) {}
}
