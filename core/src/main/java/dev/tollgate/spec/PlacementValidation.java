package dev.tollgate.spec;

import static dev.tollgate.spec.Violations.child;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a target lives when it is not where Tollgate runs: its {@code region} and the {@code roleArn} to
 * assume there (another account). One set of rules for a single deployment spec and a wave release's
 * targets (docs/spec.md, "Another region or account" and "Waves"), each problem reported at its field.
 */
final class PlacementValidation {

    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html: role names 1-64 of [\w+=,.@-],
    // paths '/' alone or '/' ... '/' of printable ASCII but '/' runs, the whole ARN at most 2,048 characters.
    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/(?:[\\x21-\\x7E&&[^/]]+/)*[\\w+=,.@-]{1,64}");
    private static final Pattern ARN_REGION = Pattern.compile("arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):.*");
    static final String ROLE_ARN_ALLOWED = "an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>";

    private final Violations violations;

    PlacementValidation(Violations violations) {
        this.violations = violations;
    }

    /** A valid placement, or empty with every problem recorded: a region AWS runs, a role ARN of its partition, ARNs in it. */
    Optional<Placement> placement(JsonNode node, String path, boolean regionRequired) {
        int before = violations.all().size();
        Optional<String> region = violations
                .string(node, "region", path, regionRequired, null, AwsRegions.examples())
                .filter(name -> knownRegion(name, child(path, "region")));
        Optional<String> roleArn = violations.string(node, "roleArn", path, false, null, ROLE_ARN_ALLOWED);
        roleArn.ifPresent(role -> role(role, region.orElse(null), child(path, "roleArn")));
        JsonNode targetNode = node.get("target");
        if (region.isPresent() && targetNode != null && targetNode.isObject()) {
            arnsInRegion(targetNode, child(path, "target"), region.get());
        }
        return violations.all().size() == before
                ? Optional.of(new Placement(region.orElse(null), roleArn.orElse(null)))
                : Optional.empty();
    }

    /** A placement's fields; either may be absent (the function's own region, the function's own account). */
    record Placement(String region, String roleArn) {}

    private boolean knownRegion(String region, String at) {
        if (AwsRegions.partition(region).isPresent()) {
            return true;
        }
        violations.add(at, "'" + Violations.abbreviate(region) + "' is not a region AWS runs", AwsRegions.examples());
        return false;
    }

    private void role(String roleArn, String region, String at) {
        Matcher role = ROLE_ARN.matcher(roleArn);
        if (roleArn.length() > 2048 || !role.matches()) {
            violations.add(
                    at,
                    "'" + Violations.abbreviate(roleArn) + "' is not an IAM role ARN",
                    "arn:aws:iam::<12-digit account>:role/<optional path/><name of 1 to 64 letters, digits or +=,.@_->");
            return;
        }
        Optional<String> partition = region == null ? Optional.empty() : AwsRegions.partition(region);
        if (partition.isPresent() && !partition.get().equals(role.group(1))) {
            violations.add(
                    at,
                    "the role is in the " + role.group(1) + " partition, the region " + region + " in "
                            + partition.get(),
                    "a role of the region's partition: arn:" + partition.get() + ":iam::...");
        }
    }

    /** A target's ARNs name their region; one that names another region than the target's is a copy-paste slip. */
    private void arnsInRegion(JsonNode targetNode, String path, String region) {
        for (Map.Entry<String, JsonNode> field : targetNode.properties()) {
            if (!field.getValue().isTextual()) {
                continue;
            }
            Matcher arn = ARN_REGION.matcher(field.getValue().asText());
            if (arn.matches() && !arn.group(1).isEmpty() && !arn.group(1).equals(region)) {
                violations.add(
                        child(path, field.getKey()),
                        "names the region " + arn.group(1) + ", but the target is in " + region,
                        "an ARN in " + region);
            }
        }
    }
}
