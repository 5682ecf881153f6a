package dev.tollgate.spec;

/**
 * A Lambda function whose callers invoke an alias: the release is a published version that the
 * alias's routing configuration ({@code AdditionalVersionWeights}) weights in beside the version the
 * alias serves. {@code version} names an already published version; without it Tollgate publishes
 * {@code $LATEST}, guarded by {@code codeSha256} when given.
 */
public record LambdaAliasTarget(
        String functionName, String alias, String version, String codeSha256, int healthTimeoutSeconds)
        implements Target {}
