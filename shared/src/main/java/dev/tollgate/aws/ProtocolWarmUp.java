package dev.tollgate.aws;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.core.SdkRequest;

/**
 * SnapStart priming of an SDK client's protocol, whichever paths the function's sample reaches: one read operation
 * called with an empty request, answered inside the JVM like every call while priming (see {@link PrimingHttpClient}).
 * A sample whose empty answers end its path before a client's first call (no record: no listener is read) would
 * otherwise leave that client's whole first call cold: its endpoint rules and signer, the protocol's marshaller and
 * its response parser (for the query protocol, the JDK's XML stream factory, the largest part). The same call is then
 * made once more and refused as AWS refuses a bad request, so that the SDK's error path is warm too (a conditional
 * write lost, a refused call: the exception's unmarshalling, the retry strategy's verdict, the interceptors' failure
 * hooks).
 */
final class ProtocolWarmUp {

    private static final List<String> READS = List.of("describe", "get", "list");

    private ProtocolWarmUp() {}

    /** The first read operation (by name) that the client marshals and answers; the operation's name, or null. */
    static String run(Object client) {
        // The service's public interface (ElasticLoadBalancingV2Client), not the SDK's package-private implementation.
        Method[] operations = Arrays.stream(client.getClass().getInterfaces())
                .flatMap(type -> Arrays.stream(type.getMethods()))
                .sorted(Comparator.comparing(Method::getName))
                .toArray(Method[]::new);
        for (Method operation : operations) {
            if (!isReadWithRequest(operation)) {
                continue;
            }
            try {
                Method builder = operation.getParameterTypes()[0].getMethod("builder");
                Object request = builder.getReturnType().getMethod("build").invoke(builder.invoke(null));
                operation.invoke(client, request);
                // The same call refused: the path of every failed call (a conditional write lost, a throttled read).
                PrimingHttpClient.refusingEveryRequest(() -> invokeExpectingRefusal(operation, client, request));
                return operation.getName();
            } catch (ReflectiveOperationException | RuntimeException refused) {
                // An operation whose empty request cannot be marshalled (a REST path without its label): try the next.
            }
        }
        return null;
    }

    private static void invokeExpectingRefusal(Method operation, Object client, Object request) {
        try {
            operation.invoke(client, request);
        } catch (ReflectiveOperationException refused) {
            // The service exception the refusal was turned into: the point of the call.
        }
    }

    private static boolean isReadWithRequest(Method operation) {
        String name = operation.getName();
        return operation.getParameterCount() == 1
                && SdkRequest.class.isAssignableFrom(operation.getParameterTypes()[0])
                && READS.stream().anyMatch(name::startsWith)
                && !name.endsWith("Paginator");
    }
}
