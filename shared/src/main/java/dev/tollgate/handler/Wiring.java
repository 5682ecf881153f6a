package dev.tollgate.handler;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.metrics.CloudWatchMetricSource;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.secrets.SecretResolver;
import dev.tollgate.secrets.SecretsManagerSecretResolver;
import java.time.Clock;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The real adapters a handler's no-argument constructor builds, once per container. */
public final class Wiring {

    private Wiring() {
    }

    public static DeploymentStore deploymentStore(AwsClients clients) {
        return new DynamoDeploymentStore(clients.build(DynamoDbClient.builder()),
                clients.environment().require(FunctionEnvironment.TABLE_NAME));
    }

    public static MetricSource metricSource(AwsClients clients) {
        return new CloudWatchMetricSource(clients.build(CloudWatchClient.builder()));
    }

    // secrets and migrations: adapters built here so each handler's no-argument constructor stays one line.
    public static SecretResolver secretResolver(AwsClients clients) {
        return new SecretsManagerSecretResolver(clients.build(SecretsManagerClient.builder()));
    }

    public static Clock clock() {
        return Clock.systemUTC();
    }
}
