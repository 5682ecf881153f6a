package dev.tollgate.handler;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.function.Consumer;

/**
 * A Lambda context for invocations that Lambda does not make: SnapStart priming, and the local
 * stack running a handler in its own JVM. No identity or client context (Step Functions passes none).
 */
public final class FixedContext implements Context {

    private static final int MEMORY_MB = 1024;

    private final String functionName;
    private final String functionVersion;
    private final String invokedFunctionArn;
    private final String requestId;
    private final long deadlineMillis;
    private final Consumer<String> log;

    /**
     * @param timeoutMillis how long from now until the invocation's deadline
     * @param log           where {@link #getLogger()} writes; a no-op drops the lines
     */
    public FixedContext(
            String functionName,
            String functionVersion,
            String invokedFunctionArn,
            String requestId,
            long timeoutMillis,
            Consumer<String> log) {
        this.functionName = functionName;
        this.functionVersion = functionVersion;
        this.invokedFunctionArn = invokedFunctionArn;
        this.requestId = requestId;
        this.deadlineMillis = System.currentTimeMillis() + timeoutMillis;
        this.log = log;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return requestId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return functionVersion;
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedFunctionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return MEMORY_MB;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                log.accept(message);
            }

            @Override
            public void log(byte[] message) {
                log.accept(new String(message, java.nio.charset.StandardCharsets.UTF_8));
            }
        };
    }
}
