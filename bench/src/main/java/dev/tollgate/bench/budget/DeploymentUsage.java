package dev.tollgate.bench.budget;

/**
 * What one deployment consumes, in the units AWS bills: state transitions, Lambda requests and
 * GB-seconds, metrics requested from CloudWatch, DynamoDB request units, Secrets Manager calls,
 * S3 GET and LIST requests, events put on EventBridge.
 */
public record DeploymentUsage(
        double stateTransitions,
        double lambdaRequests,
        double lambdaGbSeconds,
        double metricsRequested,
        double dynamoWriteUnits,
        double dynamoReadUnits,
        double secretsManagerCalls,
        double s3Gets,
        double s3Lists,
        double eventsPut) {}
