package dev.tollgate.functions.validate;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tollgate.handler.FixedContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves one event to a handler as Lambda's runtime would, in a JVM whose class path is the function's shaded jar and
 * this class only (no test dependency; the context is the jar's own {@link FixedContext}):
 * {@code ServeOnceAsLambda HANDLER_CLASS EVENT_FILE}. Prints the response, or lets the failure end the JVM.
 */
public final class ServeOnceAsLambda {

    private ServeOnceAsLambda() {}

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler =
                (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try (InputStream event = Files.newInputStream(Path.of(args[1]))) {
            String function = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
            handler.handleRequest(
                    event,
                    response,
                    new FixedContext(
                            function,
                            "$LATEST",
                            "arn:aws:lambda:us-east-1:123456789012:function:" + function,
                            "8f5a1b2c-0000-4000-8000-000000000001",
                            30_000,
                            System.err::println));
        }
        System.out.println("RESPONSE " + response.toString(StandardCharsets.UTF_8));
    }
}
