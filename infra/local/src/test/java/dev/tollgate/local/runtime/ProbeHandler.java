package dev.tollgate.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A function for {@link LambdaRuntimeIT}, run by the runtime interface client from a jar of its own:
 * the event's {@code action} says what to do (answer what it sees, fail, outlive its timeout, exit,
 * answer too much). Plain strings only: its jar holds nothing but these classes.
 */
public final class ProbeHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String answer;
        if (event.contains("\"fail\"")) {
            throw new IllegalStateException("asked to fail");
        } else if (event.contains("\"sleep\"")) {
            sleep(30_000);
            answer = "{\"slept\":true}";
        } else if (event.contains("\"nap\"")) {
            sleep(1_500);
            answer = "{\"pid\":" + ProcessHandle.current().pid() + "}";
        } else if (event.contains("\"exit\"")) {
            System.out.println("exiting with status 3");
            System.exit(3);
            answer = "{}";
        } else if (event.contains("\"large\"")) {
            answer = "{\"padding\":\"" + "x".repeat(7 * 1024 * 1024) + "\"}";
        } else {
            System.out.println("{\"message\":\"probe invoked\",\"requestId\":\"" + context.getAwsRequestId() + "\"}");
            answer = "{\"pid\":" + ProcessHandle.current().pid()
                    + ",\"functionName\":\"" + context.getFunctionName() + "\""
                    + ",\"invokedFunctionArn\":\"" + context.getInvokedFunctionArn() + "\""
                    + ",\"requestId\":\"" + context.getAwsRequestId() + "\""
                    + ",\"remainingMillis\":" + context.getRemainingTimeInMillis()
                    + ",\"memoryLimitMb\":" + context.getMemoryLimitInMB()
                    + ",\"maxHeapBytes\":" + Runtime.getRuntime().maxMemory()
                    + ",\"handler\":\"" + System.getenv("_HANDLER") + "\""
                    + ",\"setting\":\"" + System.getenv("PROBE_SETTING") + "\""
                    + ",\"classLoader\":\""
                    + getClass().getClassLoader().getClass().getName() + "\"}";
        }
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A handler whose construction fails, as one that cannot read its configuration would: an init error. */
    public static final class BrokenInit implements RequestStreamHandler {
        public BrokenInit() {
            throw new IllegalStateException("cannot start: no configuration");
        }

        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) {
            throw new AssertionError("never constructed");
        }
    }
}
