package dev.tollgate.bench.coldstart.hello;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The smallest Java Lambda function: reads the event and answers a greeting. Its cold start is the
 * JVM's and the runtime's share of every function's; the benchmark divides each function's by it.
 */
public final class HelloWorldHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        int eventBytes = input.readAllBytes().length;
        output.write(("{\"hello\":\"world\",\"eventBytes\":" + eventBytes + "}").getBytes(StandardCharsets.UTF_8));
    }
}
