package dev.tollgate.handler;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.aws.Placed;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.events.DeploymentMetrics;
import dev.tollgate.events.EventBridgeDeploymentEvents;
import dev.tollgate.events.LoggedDeploymentEvents;
import dev.tollgate.metrics.CloudWatchMetricSource;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.secrets.SecretResolver;
import dev.tollgate.secrets.SecretsManagerSecretResolver;
import dev.tollgate.telemetry.EmfMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The real adapters a handler's no-argument constructor builds, once per container. */
public final class Wiring {

    private Wiring() {}

    public static DeploymentStore deploymentStore(AwsClients clients) {
        return new DynamoDeploymentStore(
                clients.build(DynamoDbClient.builder()), clients.environment().require(FunctionEnvironment.TABLE_NAME));
    }

    /** CloudWatch where each deployment's target publishes its metrics and alarms: the release's own region and account. */
    public static Placed<MetricSource> targetMetrics(AwsClients clients) {
        clients.targets().buildAtHomeBeforeSnapshot(CloudWatchClient::builder);
        return spec -> new CloudWatchMetricSource(clients.targets().build(CloudWatchClient.builder(), spec));
    }

    // secrets and migrations: adapters built here so each handler's no-argument constructor stays one line.
    /** Secrets Manager where each deployment's target runs: the release's tasks resolve its secrets in their own account. */
    public static Placed<SecretResolver> targetSecrets(AwsClients clients) {
        clients.targets().buildAtHomeBeforeSnapshot(SecretsManagerClient::builder);
        return spec -> new SecretsManagerSecretResolver(clients.targets().build(SecretsManagerClient.builder(), spec));
    }

    // observability: the facts a function states go to its log, to EMF metrics and to the event bus.
    /** The bus deployment events go to ({@code !Ref DeploymentEventBus} in template.yaml). */
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    /** The CloudWatch namespace of Tollgate's own metrics (Powertools' variable). */
    public static final String METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";

    /** Log line, metrics and (when the function has a bus) an EventBridge event for every fact; the module declares eventbridge. */
    public static DeploymentEvents deploymentEvents(AwsClients clients) {
        FunctionEnvironment environment = clients.environment();
        List<DeploymentEvents> sinks = new ArrayList<>();
        sinks.add(new LoggedDeploymentEvents());
        sinks.add(
                new DeploymentMetrics(new EmfMetrics(environment.get(METRICS_NAMESPACE, DeploymentMetrics.NAMESPACE))));
        environment
                .get(EVENT_BUS_NAME)
                .ifPresent(bus ->
                        sinks.add(new EventBridgeDeploymentEvents(clients.build(EventBridgeClient.builder()), bus)));
        return DeploymentEvents.all(sinks);
    }

    public static Clock clock() {
        return Clock.systemUTC();
    }
}
