package dev.tollgate.functions.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.ops.StepFunctionsExecutions;
import dev.tollgate.pipeline.CodePipelineJobs;
import dev.tollgate.pipeline.JobAnswer;
import dev.tollgate.pipeline.PipelineBridge;
import dev.tollgate.pipeline.PipelineJob;
import dev.tollgate.pipeline.S3ArtifactStore;
import dev.tollgate.spec.SpecValidator;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * CodePipeline's Lambda invoke action: starts (or follows) the deployment a job asks for and
 * answers the job. The event carries temporary credentials, so it is never logged.
 */
public final class PipelineBridgeHandler extends JsonHandler<JsonNode, JobAnswer> {

    public static final String STATE_MACHINE_ARN = "STATE_MACHINE_ARN";

    private final PipelineBridge bridge;

    public PipelineBridgeHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public PipelineBridgeHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)));
    }

    public PipelineBridgeHandler(PipelineBridge bridge) {
        super(JsonNode.class);
        this.bridge = bridge;
    }

    private static PipelineBridge wire(AwsClients clients) {
        StepFunctionsExecutions executions = new StepFunctionsExecutions(
                clients.build(SfnClient.builder()), clients.environment().require(STATE_MACHINE_ARN));
        return new PipelineBridge(
                new CodePipelineJobs(clients.build(CodePipelineClient.builder())),
                new S3ArtifactStore(clients),
                executions,
                new SpecValidator());
    }

    @Override
    protected String primingEvent() {
        return "pipeline-bridge-first-call.json";
    }

    @Override
    protected JobAnswer handle(JsonNode event, Context context) {
        return bridge.handle(PipelineJob.fromEvent(event));
    }
}
