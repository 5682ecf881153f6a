package dev.tollgate.fakes;

import dev.tollgate.smoke.FunctionInvoker;
import dev.tollgate.smoke.FunctionReply;
import dev.tollgate.smoke.HttpProber;
import dev.tollgate.smoke.ProbeReply;
import dev.tollgate.smoke.TestEndpoint;
import dev.tollgate.smoke.TestEndpoints;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.ReleasePlan;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A canary's test endpoint for smoke tests, scripted reply by reply: the function invocations and
 * probe requests it receives are recorded, and each is answered with the next scripted reply (the
 * last one repeats). The endpoint is an ALB URL, or a Lambda version when {@link #lambdaVersion()}.
 */
public final class FakeSmokeTarget implements TestEndpoints, FunctionInvoker, HttpProber {

    public static final String URL = "http://checkout-test.example:8443";
    public static final String VERSION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:checkout-api:42";

    private final Deque<FunctionReply> functionReplies = new ArrayDeque<>();
    private final Deque<ProbeReply> probeReplies = new ArrayDeque<>();
    private final List<String> invocations = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final List<Duration> timeouts = new ArrayList<>();
    private boolean lambda;
    private int prepared;

    public FakeSmokeTarget lambdaVersion() {
        lambda = true;
        return this;
    }

    public FakeSmokeTarget functionAnswers(FunctionReply... replies) {
        functionReplies.addAll(List.of(replies));
        return this;
    }

    public FakeSmokeTarget probeAnswers(ProbeReply... replies) {
        probeReplies.addAll(List.of(replies));
        return this;
    }

    @Override
    public TestEndpoint prepare(DeploymentSpec spec, ReleasePlan plan) {
        prepared++;
        return lambda
                ? TestEndpoint.lambdaVersion(VERSION_ARN, "42")
                : TestEndpoint.alb(
                        URL,
                        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod/50dc6c495c0c9188/0000000000000001",
                        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/checkout-green/2453ed029918f21f",
                        "checkout:42");
    }

    @Override
    public FunctionReply invoke(String function, String payload, Duration timeout) {
        invocations.add(function + " " + payload);
        timeouts.add(timeout);
        return next(functionReplies);
    }

    @Override
    public ProbeReply get(String url, Duration timeout) {
        requests.add(url);
        timeouts.add(timeout);
        return next(probeReplies);
    }

    private static <T> T next(Deque<T> replies) {
        if (replies.isEmpty()) {
            throw new IllegalStateException("no reply scripted");
        }
        return replies.size() == 1 ? replies.peek() : replies.poll();
    }

    /** Each invocation as "function payload". */
    public List<String> invocations() {
        return invocations;
    }

    public List<String> requests() {
        return requests;
    }

    public List<Duration> timeouts() {
        return timeouts;
    }

    public int prepared() {
        return prepared;
    }
}
