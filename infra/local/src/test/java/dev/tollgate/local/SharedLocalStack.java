package dev.tollgate.local;

import java.nio.file.Path;

/**
 * One local stack for all integration tests of this JVM: starting moto costs seconds, and every
 * test works on its own service names, so they do not see each other. Stopped when the JVM exits.
 */
final class SharedLocalStack {

    private static LocalStack stack;

    private SharedLocalStack() {}

    static synchronized LocalStack get() {
        if (stack == null) {
            stack = LocalStack.start(Path.of("target", "local-stack"));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stop-local-stack"));
        }
        return stack;
    }
}
