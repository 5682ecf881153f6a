package dev.tollgate.aws;

import dev.tollgate.priming.Priming;
import dev.tollgate.spec.DeploymentSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Clients for the services a deployment acts on (its traffic backend, its metrics and alarms, its migration
 * tasks), built for the target's {@code region} and, when the spec names a {@code roleArn}, signed with that
 * role's credentials, assumed here, inside the function, through STS in Tollgate's own region and account. The
 * credentials never leave this object: not through state, not into a log. A spec without a placement gets
 * the function's own clients. What stays home (the deployments table, EventBridge, Step Functions) is built
 * with {@link AwsClients#build} as before.
 *
 * <p>Clients are kept for the container's life per region, role and deployment (the role session is named
 * after the deployment, so CloudTrail in the target account says which one acted), the most recent
 * {@value #MAX_PLACEMENTS} only: a warm container serves one deployment after another.
 */
public final class TargetClients {

    static final int MAX_PLACEMENTS = 16;
    /** STS role session names: 2 to 64 of {@code [\w+=,.@-]}. */
    private static final int MAX_SESSION_NAME = 64;

    private final AwsClients clients;
    private final Map<Key, Object> built = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
            if (size() > MAX_PLACEMENTS * 8) {
                close(eldest.getValue());
                return true;
            }
            return false;
        }
    };
    private final Map<Key, AwsCredentialsProvider> assumed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, AwsCredentialsProvider> eldest) {
            if (size() > MAX_PLACEMENTS) {
                // The clients signed by these credentials go with them: kept, they would fail at their next refresh.
                Key role = eldest.getKey();
                built.entrySet().removeIf(client -> {
                    Key key = client.getKey();
                    boolean signedByIt = key.region().equals(role.region())
                            && Objects.equals(key.roleArn(), role.roleArn())
                            && Objects.equals(key.session(), role.session());
                    if (signedByIt) {
                        close(client.getValue());
                    }
                    return signedByIt;
                });
                close(eldest.getValue());
                return true;
            }
            return false;
        }
    };
    private StsClient sts;

    public TargetClients(AwsClients clients) {
        this.clients = clients;
    }

    /** A client of the builder's service for the spec's target: its region, its role; the function's own without a placement. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, DeploymentSpec spec) {
        return build(builder, spec.region(), spec.roleArn(), spec.deploymentId());
    }

    /**
     * With SnapStart, the home region's client of this service is built before the snapshot (as {@link OnFirstUse} does),
     * so a deployment that acts at home pays nothing for it after a restore; elsewhere, only on its first use.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> void buildAtHomeBeforeSnapshot(
            Supplier<B> builder) {
        Priming.registerForSnapStart(() -> build(builder.get(), null, null, null));
    }

    private synchronized <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, String regionId, String roleArn, String deploymentId) {
        Region region = regionId == null ? clients.region() : Region.of(regionId);
        String session = roleArn == null ? null : sessionName(deploymentId);
        Key key = new Key(region.id(), roleArn, session, builder.getClass().getName());
        @SuppressWarnings("unchecked")
        C client = (C) built.get(key);
        if (client == null) {
            client = roleArn == null
                    ? (region.equals(clients.region())
                            ? clients.build(builder)
                            : clients.build(builder, region, clients.ownCredentials()))
                    : clients.build(builder, region, assumedRole(new Key(region.id(), roleArn, session, "")));
            built.put(key, client);
        }
        return client;
    }

    /** The role session's name: the deployment's id, cut to what STS allows (its characters are all allowed). */
    static String sessionName(String deploymentId) {
        String name = "tollgate-" + deploymentId;
        return name.length() <= MAX_SESSION_NAME ? name : name.substring(0, MAX_SESSION_NAME);
    }

    private AwsCredentialsProvider assumedRole(Key role) {
        return assumed.computeIfAbsent(
                role,
                key -> StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts())
                        .refreshRequest(
                                request -> request.roleArn(key.roleArn()).roleSessionName(key.session()))
                        .asyncCredentialUpdateEnabled(false)
                        .build());
    }

    /** STS where Tollgate runs, with the function's own credentials: the role is assumed from Tollgate's account. */
    private StsClient sts() {
        if (sts == null) {
            sts = clients.build(StsClient.builder());
        }
        return sts;
    }

    /** SDK clients and the assume-role provider (which holds a refresh) are all SdkAutoCloseable. */
    private static void close(Object evicted) {
        if (evicted instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }

    private record Key(String region, String roleArn, String session, String builder) {
        Key {
            Objects.requireNonNull(region);
        }
    }
}
