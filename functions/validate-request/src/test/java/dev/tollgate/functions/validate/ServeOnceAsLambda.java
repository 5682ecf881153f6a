package dev.tollgate.functions.validate;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves one event to a handler as Lambda's runtime would, in a JVM whose class path is the function's shaded jar and
 * this class only (no test dependency): {@code ServeOnceAsLambda HANDLER_CLASS EVENT_FILE}. Prints the response, or
 * lets the failure end the JVM.
 */
public final class ServeOnceAsLambda {

    private ServeOnceAsLambda() {}

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler =
                (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try (InputStream event = Files.newInputStream(Path.of(args[1]))) {
            handler.handleRequest(event, response, new InvocationContext());
        }
        System.out.println("RESPONSE " + response.toString(StandardCharsets.UTF_8));
    }

    /** What the runtime tells a handler about its invocation. */
    private static final class InvocationContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "8f5a1b2c-0000-4000-8000-000000000001";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + getFunctionName();
        }

        @Override
        public String getLogStreamName() {
            return "2026/12/05/[$LATEST]0123456789abcdef";
        }

        @Override
        public String getFunctionName() {
            return System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:" + getFunctionName();
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
            return 30_000;
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
                    System.err.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.write(message, 0, message.length);
                }
            };
        }
    }
}
