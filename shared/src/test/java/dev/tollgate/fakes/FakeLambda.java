package dev.tollgate.fakes;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.EnvironmentResponse;
import software.amazon.awssdk.services.lambda.model.GetAliasRequest;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.PublishVersionRequest;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateAliasRequest;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationResponse;

/**
 * One Lambda function with one alias, in memory, answering the calls the Lambda backends make
 * (GetAlias, UpdateAlias with its RevisionId guard, PublishVersion, GetFunctionConfiguration of a
 * version or of $LATEST, UpdateFunctionConfiguration of $LATEST's environment). Weights are stored
 * as Lambda stores them: fractions, which a test may set to any value. A published version keeps
 * the environment $LATEST had when it was published.
 */
public class FakeLambda implements LambdaClient {

    private String aliasVersion;
    private Map<String, Double> routing = new HashMap<>();
    private int revision;
    private int latestPublished;
    private boolean latestChanged = true;
    private final Map<String, String> states = new HashMap<>();
    private Map<String, String> latestEnvironment = new HashMap<>();
    private final Map<String, Map<String, String>> versionEnvironments = new HashMap<>();
    private int latestRevision;
    /** Updates of $LATEST answer InProgress (Lambda applies configuration asynchronously); the next read sees them done. */
    private boolean updatesAnswerInProgress;

    private int environmentUpdates;

    public FakeLambda(int publishedVersions, String aliasVersion) {
        this.latestPublished = publishedVersions;
        this.aliasVersion = aliasVersion;
        for (int version = 1; version <= publishedVersions; version++) {
            states.put(Integer.toString(version), "Active");
        }
    }

    /** $LATEST equals the latest published version: publishing again returns that version. */
    public FakeLambda unchangedSinceLastPublish() {
        latestChanged = false;
        return this;
    }

    /** An operator (or another tool) edits the alias. */
    public void setAlias(String version, Map<String, Double> weights) {
        aliasVersion = version;
        routing = new HashMap<>(weights);
        revision++;
    }

    public void setState(String version, String state) {
        states.put(version, state);
    }

    /** $LATEST's environment as its owner set it. */
    public FakeLambda withLatestEnvironment(Map<String, String> variables) {
        latestEnvironment = new HashMap<>(variables);
        return this;
    }

    /** Each configuration update of $LATEST answers InProgress, and is Successful by the next read. */
    public FakeLambda updatesAnswerInProgress() {
        updatesAnswerInProgress = true;
        return this;
    }

    public Map<String, String> latestEnvironment() {
        return Map.copyOf(latestEnvironment);
    }

    public Map<String, String> environmentOf(String version) {
        return versionEnvironments.getOrDefault(version, Map.of());
    }

    public int environmentUpdates() {
        return environmentUpdates;
    }

    public String aliasVersion() {
        return aliasVersion;
    }

    public Map<String, Double> routing() {
        return Map.copyOf(routing);
    }

    @Override
    public synchronized GetAliasResponse getAlias(GetAliasRequest request) {
        return GetAliasResponse.builder()
                .name(request.name())
                .functionVersion(aliasVersion)
                .revisionId("r" + revision)
                .routingConfig(AliasRoutingConfiguration.builder()
                        .additionalVersionWeights(routing)
                        .build())
                .build();
    }

    @Override
    public GetAliasResponse getAlias(Consumer<GetAliasRequest.Builder> request) {
        return getAlias(GetAliasRequest.builder().applyMutation(request).build());
    }

    @Override
    public synchronized UpdateAliasResponse updateAlias(UpdateAliasRequest request) {
        if (request.revisionId() != null && !request.revisionId().equals("r" + revision)) {
            throw PreconditionFailedException.builder()
                    .statusCode(412)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("PreconditionFailedException")
                            .build())
                    .build();
        }
        if (!states.containsKey(request.functionVersion())) {
            throw ResourceNotFoundException.builder()
                    .statusCode(404)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("ResourceNotFoundException")
                            .build())
                    .build();
        }
        setAlias(
                request.functionVersion(),
                request.routingConfig() == null
                        ? Map.of()
                        : request.routingConfig().additionalVersionWeights());
        return UpdateAliasResponse.builder().functionVersion(aliasVersion).build();
    }

    @Override
    public UpdateAliasResponse updateAlias(Consumer<UpdateAliasRequest.Builder> request) {
        return updateAlias(UpdateAliasRequest.builder().applyMutation(request).build());
    }

    @Override
    public synchronized PublishVersionResponse publishVersion(PublishVersionRequest request) {
        if (request.revisionId() != null && !request.revisionId().equals("l" + latestRevision)) {
            throw PreconditionFailedException.builder()
                    .statusCode(412)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("PreconditionFailedException")
                            .build())
                    .build();
        }
        if (latestChanged) {
            latestPublished++;
            latestChanged = false;
            states.put(Integer.toString(latestPublished), "Active");
            versionEnvironments.put(Integer.toString(latestPublished), Map.copyOf(latestEnvironment));
        }
        return PublishVersionResponse.builder()
                .version(Integer.toString(latestPublished))
                .build();
    }

    @Override
    public synchronized UpdateFunctionConfigurationResponse updateFunctionConfiguration(
            UpdateFunctionConfigurationRequest request) {
        if (request.revisionId() != null && !request.revisionId().equals("l" + latestRevision)) {
            throw PreconditionFailedException.builder()
                    .statusCode(412)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("PreconditionFailedException")
                            .build())
                    .build();
        }
        latestEnvironment = new HashMap<>(request.environment().variables());
        latestRevision++;
        latestChanged = true;
        environmentUpdates++;
        return UpdateFunctionConfigurationResponse.builder()
                .version("$LATEST")
                .revisionId("l" + latestRevision)
                .lastUpdateStatus(updatesAnswerInProgress ? LastUpdateStatus.IN_PROGRESS : LastUpdateStatus.SUCCESSFUL)
                .build();
    }

    @Override
    public UpdateFunctionConfigurationResponse updateFunctionConfiguration(
            Consumer<UpdateFunctionConfigurationRequest.Builder> request) {
        return updateFunctionConfiguration(UpdateFunctionConfigurationRequest.builder()
                .applyMutation(request)
                .build());
    }

    @Override
    public PublishVersionResponse publishVersion(Consumer<PublishVersionRequest.Builder> request) {
        return publishVersion(
                PublishVersionRequest.builder().applyMutation(request).build());
    }

    @Override
    public synchronized GetFunctionConfigurationResponse getFunctionConfiguration(
            GetFunctionConfigurationRequest request) {
        if (request.qualifier() == null || "$LATEST".equals(request.qualifier())) {
            return GetFunctionConfigurationResponse.builder()
                    .version("$LATEST")
                    .revisionId("l" + latestRevision)
                    .lastUpdateStatus(LastUpdateStatus.SUCCESSFUL)
                    .environment(EnvironmentResponse.builder()
                            .variables(latestEnvironment)
                            .build())
                    .build();
        }
        String state = states.get(request.qualifier());
        if (state == null) {
            throw ResourceNotFoundException.builder()
                    .statusCode(404)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("ResourceNotFoundException")
                            .build())
                    .build();
        }
        return GetFunctionConfigurationResponse.builder()
                .version(request.qualifier())
                .state(State.fromValue(state))
                .environment(EnvironmentResponse.builder()
                        .variables(versionEnvironments.getOrDefault(request.qualifier(), Map.of()))
                        .build())
                .stateReason("Failed".equals(state) ? "the image could not be pulled" : null)
                .build();
    }

    @Override
    public GetFunctionConfigurationResponse getFunctionConfiguration(
            Consumer<GetFunctionConfigurationRequest.Builder> request) {
        return getFunctionConfiguration(
                GetFunctionConfigurationRequest.builder().applyMutation(request).build());
    }

    @Override
    public String serviceName() {
        return "lambda";
    }

    @Override
    public void close() {}
}
