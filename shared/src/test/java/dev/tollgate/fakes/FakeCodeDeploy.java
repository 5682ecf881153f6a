package dev.tollgate.fakes;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentCreator;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.GetDeploymentRequest;
import software.amazon.awssdk.services.codedeploy.model.GetDeploymentResponse;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventAlreadyCompletedException;
import software.amazon.awssdk.services.codedeploy.model.PutLifecycleEventHookExecutionStatusRequest;
import software.amazon.awssdk.services.codedeploy.model.PutLifecycleEventHookExecutionStatusResponse;

/** CodeDeploy's deployments and hook answers in memory, for the lifecycle-hook function's tests. */
public final class FakeCodeDeploy implements CodeDeployClient {

    private final Map<String, DeploymentInfo> deployments = new HashMap<>();
    private final Map<String, String> answers = new LinkedHashMap<>();

    public FakeCodeDeploy deployment(String id, String description, DeploymentCreator creator) {
        deployments.put(
                id,
                DeploymentInfo.builder()
                        .deploymentId(id)
                        .description(description)
                        .creator(creator)
                        .status("InProgress")
                        .build());
        return this;
    }

    /** Hook execution id to the status it was answered with. */
    public Map<String, String> answers() {
        return Map.copyOf(answers);
    }

    @Override
    public GetDeploymentResponse getDeployment(GetDeploymentRequest request) {
        return GetDeploymentResponse.builder()
                .deploymentInfo(deployments.get(request.deploymentId()))
                .build();
    }

    @Override
    public GetDeploymentResponse getDeployment(Consumer<GetDeploymentRequest.Builder> request) {
        return getDeployment(
                GetDeploymentRequest.builder().applyMutation(request).build());
    }

    @Override
    public PutLifecycleEventHookExecutionStatusResponse putLifecycleEventHookExecutionStatus(
            PutLifecycleEventHookExecutionStatusRequest request) {
        if (answers.containsKey(request.lifecycleEventHookExecutionId())) {
            throw LifecycleEventAlreadyCompletedException.builder()
                    .statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("LifecycleEventAlreadyCompletedException")
                            .build())
                    .build();
        }
        answers.put(request.lifecycleEventHookExecutionId(), request.statusAsString());
        return PutLifecycleEventHookExecutionStatusResponse.builder()
                .lifecycleEventHookExecutionId(request.lifecycleEventHookExecutionId())
                .build();
    }

    @Override
    public PutLifecycleEventHookExecutionStatusResponse putLifecycleEventHookExecutionStatus(
            Consumer<PutLifecycleEventHookExecutionStatusRequest.Builder> request) {
        return putLifecycleEventHookExecutionStatus(PutLifecycleEventHookExecutionStatusRequest.builder()
                .applyMutation(request)
                .build());
    }

    @Override
    public String serviceName() {
        return "codedeploy";
    }

    @Override
    public void close() {}
}
