package dev.tollgate.functions.decide;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.decision.Decision;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.DecisionService;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.spec.DeploymentSpec;
import java.time.Instant;

/**
 * One analysis tick: reads the step's metrics and alarms, asks the judge, and turns its verdict (and
 * any operator abort or promotion) into the next action, returned with the verdict and its numbers.
 */
public final class DecideHandler extends JsonHandler<DecideHandler.Request, Decision> {

    private final DecisionService decisions;

    public DecideHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public DecideHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)));
    }

    private static DecisionService wire(AwsClients clients) {
        return new DecisionService(new AnalysisService(Wiring.metricSource(clients), new SequentialJudge(), Wiring.clock()),
                Wiring.deploymentStore(clients), new DecisionPolicy(), Wiring.clock(), Wiring.deploymentEvents(clients));
    }

    public DecideHandler(DecisionService decisions) {
        super(Request.class);
        this.decisions = decisions;
    }

    @Override
    protected String primingEvent() {
        return "decide.json";
    }

    @Override
    protected Decision handle(Request request, Context context) {
        int retryCount = request.execution() == null || request.execution().retryCount() == null ? 0 : request.execution().retryCount();
        return decisions.decide(required(request.spec(), "spec"), required(request.progress(), "progress"),
                required(request.tickStartedAt(), "tickStartedAt"), retryCount);
    }

    /**
     * {@code tickStartedAt} is {@code $$.State.EnteredTime}: when the state machine entered this tick, the same for its
     * retries; {@code execution.retryCount} is {@code $$.State.RetryCount}, how many times this tick was tried before.
     */
    public record Request(DeploymentSpec spec, StepProgress progress, Instant tickStartedAt, @Nullable Attempt execution) {
    }

    /** The part of the state machine's context the tick reads. */
    public record Attempt(@Nullable Integer retryCount) {
    }
}
