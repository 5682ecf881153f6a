package dev.tollgate.priming;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** The Lambda context a priming invocation passes: no request, nothing logged. */
public final class PrimingContext implements Context {

    public static final PrimingContext INSTANCE = new PrimingContext();

    private PrimingContext() {
    }

    @Override
    public String getAwsRequestId() {
        return "priming";
    }

    @Override
    public String getLogGroupName() {
        return "priming";
    }

    @Override
    public String getLogStreamName() {
        return "priming";
    }

    @Override
    public String getFunctionName() {
        return "priming";
    }

    @Override
    public String getFunctionVersion() {
        return "priming";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "priming";
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
        return 60_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                // Priming logs nothing.
            }

            @Override
            public void log(byte[] message) {
                // Priming logs nothing.
            }
        };
    }
}
