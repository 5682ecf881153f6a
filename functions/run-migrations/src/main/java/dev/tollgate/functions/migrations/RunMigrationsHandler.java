package dev.tollgate.functions.migrations;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.util.List;

/**
 * Applies the release's schema migrations before any traffic moves. This build accepts only
 * {@code mode: NONE} (validation refuses the others), so nothing is applied; the state exists so the flow is whole.
 */
public final class RunMigrationsHandler extends JsonHandler<RunMigrationsHandler.Request, RunMigrationsHandler.Applied> {

    public RunMigrationsHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public RunMigrationsHandler(FunctionEnvironment environment) {
        super(Request.class);
    }

    @Override
    protected Applied handle(Request request, Context context) {
        DeploymentSpec spec = required(request.spec(), "spec");
        return new Applied(spec.migrations().mode(), List.of());
    }

    public record Request(DeploymentSpec spec) {
    }

    public record Applied(MigrationMode mode, List<String> applied) {
    }
}
