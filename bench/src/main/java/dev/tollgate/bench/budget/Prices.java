package dev.tollgate.bench.budget;

/**
 * Public on-demand prices, per unit, in US dollars (US East (N. Virginia), x86 Lambda, no free tier):
 * <ul>
 *   <li>Step Functions Standard: $0.025 per 1,000 state transitions (https://aws.amazon.com/step-functions/pricing/);</li>
 *   <li>Lambda: $0.20 per 1M requests, $0.0000166667 per GB-second on x86 (https://aws.amazon.com/lambda/pricing/);
 *       SnapStart on Java runtimes adds no caching or restore charge
 *       (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html, "SnapStart pricing");</li>
 *   <li>CloudWatch: GetMetricData $0.01 per 1,000 metrics requested; DescribeAlarms is not a charged API request
 *       (https://aws.amazon.com/cloudwatch/pricing/);</li>
 *   <li>DynamoDB on-demand: $0.625 per million write request units, $0.125 per million read request units
 *       (https://aws.amazon.com/dynamodb/pricing/on-demand/);</li>
 *   <li>Secrets Manager: $0.05 per 10,000 API calls (https://aws.amazon.com/secrets-manager/pricing/);</li>
 *   <li>S3 Standard: GET $0.0004 and LIST $0.005 per 1,000 requests (https://aws.amazon.com/s3/pricing/);</li>
 *   <li>EventBridge: custom events $1.00 per million, each 64 KB chunk of an entry one event
 *       (https://aws.amazon.com/eventbridge/pricing/).</li>
 * </ul>
 * ECS, Elastic Load Balancing and Step Functions API calls are not charged per call.
 */
public record Prices(
        double perStateTransition,
        double perLambdaRequest,
        double perLambdaGbSecond,
        double perMetricRequested,
        double perDynamoWriteUnit,
        double perDynamoReadUnit,
        double perSecretsManagerCall,
        double perS3Get,
        double perS3List,
        double perEventPut) {

    /** The prices docs/performance.md uses. */
    public static final Prices US_EAST_1 = new Prices(
            0.025 / 1_000,
            0.20 / 1_000_000,
            0.0000166667,
            0.01 / 1_000,
            0.625 / 1_000_000,
            0.125 / 1_000_000,
            0.05 / 10_000,
            0.0004 / 1_000,
            0.005 / 1_000,
            1.00 / 1_000_000);
}
