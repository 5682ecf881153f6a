package dev.tollgate.fakes;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasRequest;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.PublishVersionRequest;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateAliasRequest;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;

/**
 * One Lambda function with one alias, in memory, answering the calls the Lambda backends make
 * (GetAlias, UpdateAlias with its RevisionId guard, PublishVersion, GetFunctionConfiguration).
 * Weights are stored as Lambda stores them: fractions, which a test may set to any value.
 */
public class FakeLambda implements LambdaClient {

    private String aliasVersion;
    private Map<String, Double> routing = new HashMap<>();
    private int revision;
    private int latestPublished;
    private boolean latestChanged = true;
    private final Map<String, String> states = new HashMap<>();

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

    public String aliasVersion() {
        return aliasVersion;
    }

    public Map<String, Double> routing() {
        return Map.copyOf(routing);
    }

    @Override
    public synchronized GetAliasResponse getAlias(GetAliasRequest request) {
        return GetAliasResponse.builder().name(request.name()).functionVersion(aliasVersion).revisionId("r" + revision)
                .routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(routing).build()).build();
    }

    @Override
    public GetAliasResponse getAlias(Consumer<GetAliasRequest.Builder> request) {
        return getAlias(GetAliasRequest.builder().applyMutation(request).build());
    }

    @Override
    public synchronized UpdateAliasResponse updateAlias(UpdateAliasRequest request) {
        if (request.revisionId() != null && !request.revisionId().equals("r" + revision)) {
            throw PreconditionFailedException.builder().statusCode(412)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("PreconditionFailedException").build()).build();
        }
        if (!states.containsKey(request.functionVersion())) {
            throw ResourceNotFoundException.builder().statusCode(404)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build()).build();
        }
        setAlias(request.functionVersion(), request.routingConfig() == null ? Map.of()
                : request.routingConfig().additionalVersionWeights());
        return UpdateAliasResponse.builder().functionVersion(aliasVersion).build();
    }

    @Override
    public UpdateAliasResponse updateAlias(Consumer<UpdateAliasRequest.Builder> request) {
        return updateAlias(UpdateAliasRequest.builder().applyMutation(request).build());
    }

    @Override
    public synchronized PublishVersionResponse publishVersion(PublishVersionRequest request) {
        if (latestChanged) {
            latestPublished++;
            latestChanged = false;
            states.put(Integer.toString(latestPublished), "Active");
        }
        return PublishVersionResponse.builder().version(Integer.toString(latestPublished)).build();
    }

    @Override
    public PublishVersionResponse publishVersion(Consumer<PublishVersionRequest.Builder> request) {
        return publishVersion(PublishVersionRequest.builder().applyMutation(request).build());
    }

    @Override
    public synchronized GetFunctionConfigurationResponse getFunctionConfiguration(GetFunctionConfigurationRequest request) {
        String state = states.get(request.qualifier());
        if (state == null) {
            throw ResourceNotFoundException.builder().statusCode(404)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build()).build();
        }
        return GetFunctionConfigurationResponse.builder().version(request.qualifier()).state(State.fromValue(state))
                .stateReason("Failed".equals(state) ? "the image could not be pulled" : null).build();
    }

    @Override
    public GetFunctionConfigurationResponse getFunctionConfiguration(Consumer<GetFunctionConfigurationRequest.Builder> request) {
        return getFunctionConfiguration(GetFunctionConfigurationRequest.builder().applyMutation(request).build());
    }

    @Override
    public String serviceName() {
        return "lambda";
    }

    @Override
    public void close() {
    }
}
