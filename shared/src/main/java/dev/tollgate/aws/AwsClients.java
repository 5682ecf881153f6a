package dev.tollgate.aws;

import dev.tollgate.handler.KnownFailures;
import dev.tollgate.priming.Priming;
import dev.tollgate.priming.SampleAnswers;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Builds AWS SDK clients from a function's environment: region, the endpoint override
 * ({@code AWS_ENDPOINT_URL}, the SDK's standard name, which the local stack points at moto) and
 * credentials. One HTTP client is shared by every client a function builds; during SnapStart
 * {@link Priming} it answers locally and nothing is sent. With
 * {@link AwsCallCounter#SWITCH} in the environment (the local stack sets it), every call is counted.
 */
public final class AwsClients {

    public static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
    private static final AwsCredentials PRIMING_CREDENTIALS = AwsBasicCredentials.create("priming", "priming");

    private final FunctionEnvironment environment;
    private final SdkHttpClient httpClient;
    private TargetClients targets;

    public AwsClients(FunctionEnvironment environment) {
        this.environment = environment;
        KnownFailures.register(AwsErrors.UNCAUGHT_SDK_FAILURES);
        SdkHttpClient urlConnection = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(20))
                .build();
        this.httpClient = new PrimingHttpClient(urlConnection);
        // SnapStart: the real client's own path too, over loopback (priming's answers in the JVM never reach it).
        Priming.registerForSnapStart(() -> LoopbackExchange.run(urlConnection));
    }

    public FunctionEnvironment environment() {
        return environment;
    }

    /** Clients for where a deployment's target lives (its region, its role), one set per function. */
    public synchronized TargetClients targets() {
        if (targets == null) {
            targets = new TargetClients(this);
        }
        return targets;
    }

    public Region region() {
        return Region.of(environment.region());
    }

    /** Applies region, endpoint, credentials and the shared HTTP client to any SDK client builder. */
    public <
                    B extends
                            AwsClientBuilder<B, C>
                                    & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>,
                    C>
            C build(B builder) {
        return build(builder, region(), credentials(), true);
    }

    /** As {@link #build}, with other credentials than the function's own (CodePipeline's artifact credentials). */
    public <
                    B extends
                            AwsClientBuilder<B, C>
                                    & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>,
                    C>
            C build(B builder, AwsCredentialsProvider credentials) {
        return build(builder, region(), credentials, false);
    }

    /** As {@link #build}, for another region, with other credentials than the function's own (a role assumed there). */
    public <
                    B extends
                            AwsClientBuilder<B, C>
                                    & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>,
                    C>
            C build(B builder, Region region, AwsCredentialsProvider credentials) {
        return build(builder, region, credentials, false);
    }

    /** The function's own credentials, from which a role elsewhere is assumed. */
    public AwsCredentialsProvider ownCredentials() {
        return credentials();
    }

    private <
                    B extends
                            AwsClientBuilder<B, C>
                                    & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>,
                    C>
            C build(B builder, Region region, AwsCredentialsProvider credentials, boolean functionsOwnCredentials) {
        ClientOverrideConfiguration.Builder overrides =
                ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(30));
        if (AwsCallCounter.enabledIn(environment)) {
            overrides.addExecutionInterceptor(AwsCallCounter.forFunction(environment, functionsOwnCredentials));
            if (AwsCallCountFiles.enabledIn(environment)) {
                // After the counter, so that what it publishes includes this call.
                overrides.addExecutionInterceptor(AwsCallCountFiles.forFunction(environment));
            }
        }
        builder.region(region)
                .credentialsProvider(primable(credentials))
                .httpClient(httpClient)
                .overrideConfiguration(overrides.build());
        environment.get(ENDPOINT_URL).map(URI::create).ifPresent(builder::endpointOverride);
        C client = builder.build();
        // SnapStart: the client's protocol warmed before the snapshot, whether or not the sample's path reaches it.
        Priming.beforeSnapshot(() -> SampleAnswers.outside(() -> ProtocolWarmUp.run(client)));
        return client;
    }

    /** During SnapStart priming, placeholder credentials: requests are signed but never sent, and nothing is fetched. */
    private static AwsCredentialsProvider primable(AwsCredentialsProvider credentials) {
        return () -> Priming.active() ? PRIMING_CREDENTIALS : credentials.resolveCredentials();
    }

    private AwsCredentialsProvider credentials() {
        var keyId = environment.get("AWS_ACCESS_KEY_ID");
        var secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (keyId.isPresent() && secret.isPresent()) {
            var token = environment.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(
                    token.<AwsCredentials>map(t -> AwsSessionCredentials.create(keyId.get(), secret.get(), t))
                            .orElseGet(() -> AwsBasicCredentials.create(keyId.get(), secret.get())));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
