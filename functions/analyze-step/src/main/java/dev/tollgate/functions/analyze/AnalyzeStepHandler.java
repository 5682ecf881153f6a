package dev.tollgate.functions.analyze;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.spec.DeploymentSpec;

/** One analysis tick: reads the step's metrics and alarms and returns the judge's verdict with its numbers. */
public final class AnalyzeStepHandler extends JsonHandler<AnalyzeStepHandler.Request, StepVerdict> {

    private final AnalysisService analysis;

    public AnalyzeStepHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public AnalyzeStepHandler(FunctionEnvironment environment) {
        this(new AnalysisService(Wiring.metricSource(new AwsClients(environment)), new SequentialJudge(), Wiring.clock()));
    }

    public AnalyzeStepHandler(AnalysisService analysis) {
        super(Request.class);
        this.analysis = analysis;
    }

    @Override
    protected String primingEvent() {
        return "analyze-step.json";
    }

    @Override
    protected StepVerdict handle(Request request, Context context) {
        return analysis.analyse(required(request.spec(), "spec"), required(request.progress(), "progress"));
    }

    public record Request(DeploymentSpec spec, StepProgress progress) {
    }
}
