package dev.tollgate.smoke;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.json.Nullable;

/**
 * Where the canary answers before any user reaches it: for ECS_ALB the URL of the test listener that
 * now forwards to the canary's target group ({@code targetGroupArn}); for LAMBDA_ALIAS the new
 * version's qualified ARN ({@code functionArn}). {@code release} names the release itself (task
 * definition or version).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestEndpoint(
        @Nullable String url,
        @Nullable String testListenerArn,
        @Nullable String targetGroupArn,
        @Nullable String functionArn,
        String release) {

    public static TestEndpoint alb(String url, String testListenerArn, String targetGroupArn, String release) {
        return new TestEndpoint(url, testListenerArn, targetGroupArn, null, release);
    }

    public static TestEndpoint lambdaVersion(String functionArn, String release) {
        return new TestEndpoint(null, null, null, functionArn, release);
    }

    /** One line for reasons and the timeline. */
    public String address() {
        return url != null ? url : functionArn;
    }
}
