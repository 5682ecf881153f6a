package dev.tollgate.spec;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The regions AWS runs, by partition, as the AWS SDK for Java 2.40's endpoint metadata lists them
 * ({@code software/amazon/awssdk/regions/internal/region/endpoints.json}; partitions {@code aws},
 * {@code aws-cn}, {@code aws-us-gov}). A wave naming any other region is refused before anything moves,
 * rather than failing halfway through a release on an unresolvable endpoint. The isolated partitions
 * ({@code aws-iso*}, {@code aws-eusc}) are left out: Tollgate's template has never been deployed there.
 */
final class AwsRegions {

    static final Set<String> COMMERCIAL = Set.of(
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2");
    static final Set<String> CHINA = Set.of("cn-north-1", "cn-northwest-1");
    static final Set<String> GOV_CLOUD = Set.of("us-gov-east-1", "us-gov-west-1");

    private AwsRegions() {}

    /** The partition a region belongs to ({@code aws}, {@code aws-cn}, {@code aws-us-gov}), empty for a region AWS does not run. */
    static Optional<String> partition(String region) {
        if (COMMERCIAL.contains(region)) {
            return Optional.of("aws");
        }
        if (CHINA.contains(region)) {
            return Optional.of("aws-cn");
        }
        if (GOV_CLOUD.contains(region)) {
            return Optional.of("aws-us-gov");
        }
        return Optional.empty();
    }

    /** What the error message offers: a few well-known regions, not all forty. */
    static String examples() {
        return "an AWS region such as " + String.join(", ", List.of("us-east-1", "eu-west-1", "ap-southeast-2"))
                + " (the aws, aws-cn and aws-us-gov partitions)";
    }
}
