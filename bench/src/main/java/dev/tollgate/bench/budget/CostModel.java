package dev.tollgate.bench.budget;

import java.util.List;
import java.util.Locale;

/** The price of a deployment's usage: one line per billed dimension, and the total. */
public final class CostModel {

    private CostModel() {}

    /** One billed dimension: what, how much of it, and what it costs. */
    public record LineItem(String what, double quantity, String unit, double dollars) {}

    /** Every line item of one deployment; the total is their sum. */
    public record Cost(List<LineItem> items) {
        public double total() {
            return items.stream().mapToDouble(LineItem::dollars).sum();
        }

        public double cents() {
            return total() * 100;
        }
    }

    public static Cost cost(DeploymentUsage usage, Prices prices) {
        return new Cost(List.of(
                new LineItem(
                        "Step Functions state transitions",
                        usage.stateTransitions(),
                        "transitions",
                        usage.stateTransitions() * prices.perStateTransition()),
                new LineItem(
                        "Lambda requests",
                        usage.lambdaRequests(),
                        "requests",
                        usage.lambdaRequests() * prices.perLambdaRequest()),
                new LineItem(
                        "Lambda duration",
                        usage.lambdaGbSeconds(),
                        "GB-s",
                        usage.lambdaGbSeconds() * prices.perLambdaGbSecond()),
                new LineItem(
                        "CloudWatch GetMetricData",
                        usage.metricsRequested(),
                        "metrics requested",
                        usage.metricsRequested() * prices.perMetricRequested()),
                new LineItem(
                        "DynamoDB writes",
                        usage.dynamoWriteUnits(),
                        "write request units",
                        usage.dynamoWriteUnits() * prices.perDynamoWriteUnit()),
                new LineItem(
                        "DynamoDB reads",
                        usage.dynamoReadUnits(),
                        "read request units",
                        usage.dynamoReadUnits() * prices.perDynamoReadUnit()),
                new LineItem(
                        "Secrets Manager API",
                        usage.secretsManagerCalls(),
                        "calls",
                        usage.secretsManagerCalls() * prices.perSecretsManagerCall()),
                new LineItem("S3 GET", usage.s3Gets(), "requests", usage.s3Gets() * prices.perS3Get()),
                new LineItem("S3 LIST", usage.s3Lists(), "requests", usage.s3Lists() * prices.perS3List()),
                new LineItem(
                        "EventBridge events", usage.eventsPut(), "events", usage.eventsPut() * prices.perEventPut())));
    }

    /** {@code $0.00412} or {@code 0.412 ¢}: enough digits for sums well under a cent. */
    public static String dollars(double dollars) {
        return String.format(Locale.ROOT, "$%.6f", dollars);
    }
}
