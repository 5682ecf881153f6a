package dev.tollgate.functions.decide;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.aws.Placed;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.rollout.DecisionService;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.watch.PostPromotionWatch;
import dev.tollgate.watch.WatchProgress;
import java.time.Instant;

/**
 * One analysis tick: reads the step's metrics and alarms, asks the judge, and turns its verdict (and
 * any operator abort or promotion) into the next action, returned with the verdict and its numbers.
 * With {@code watch} instead of {@code progress}, one tick of the post-promotion watch: the new version
 * at 100 % judged against the old version's history (the same reads and judge, so the same function and role).
 */
public final class DecideHandler extends JsonHandler<DecideHandler.Request, Object> {

    private final DecisionService decisions;
    private final PostPromotionWatch watch;

    public DecideHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public DecideHandler(FunctionEnvironment environment) {
        this(new AwsClients(environment));
    }

    private DecideHandler(AwsClients clients) {
        this(Wiring.targetMetrics(clients), Wiring.deploymentStore(clients), Wiring.deploymentEvents(clients));
    }

    /** A step's tick and a watch's tick share one client of each service: a cold start builds each once. */
    private DecideHandler(Placed<MetricSource> metrics, DeploymentStore store, DeploymentEvents events) {
        this(
                new DecisionService(
                        new AnalysisService(metrics, new SequentialJudge(), Wiring.clock()),
                        store,
                        new DecisionPolicy(),
                        Wiring.clock(),
                        events),
                new PostPromotionWatch(metrics, new SequentialJudge(), store, Wiring.clock(), events));
    }

    public DecideHandler(DecisionService decisions, PostPromotionWatch watch) {
        super(Request.class);
        this.decisions = decisions;
        this.watch = watch;
    }

    @Override
    protected String primingEvent() {
        return "decide.json";
    }

    @Override
    protected Object handle(Request request, Context context) {
        int retryCount = request.execution() == null || request.execution().retryCount() == null
                ? 0
                : request.execution().retryCount();
        if (request.watch() != null) {
            return watch.tick(
                    required(request.spec(), "spec"),
                    request.watch(),
                    required(request.tickStartedAt(), "tickStartedAt"),
                    retryCount);
        }
        return decisions.decide(
                required(request.spec(), "spec"),
                required(request.progress(), "progress"),
                required(request.tickStartedAt(), "tickStartedAt"),
                retryCount);
    }

    /**
     * {@code tickStartedAt} is {@code $$.State.EnteredTime}: when the state machine entered this tick, the same for its
     * retries; {@code execution.retryCount} is {@code $$.State.RetryCount}, how many times this tick was tried before.
     * {@code progress} for a step's tick, {@code watch} for a tick of the post-promotion watch.
     */
    public record Request(
            DeploymentSpec spec,
            @Nullable StepProgress progress,
            Instant tickStartedAt,
            @Nullable WatchProgress watch,
            @Nullable Attempt execution) {

        public Request(DeploymentSpec spec, StepProgress progress, Instant tickStartedAt) {
            this(spec, progress, tickStartedAt, null, null);
        }
    }

    /** The part of the state machine's context the tick reads. */
    public record Attempt(@Nullable Integer retryCount) {}
}
