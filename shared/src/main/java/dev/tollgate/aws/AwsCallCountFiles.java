package dev.tollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.aws.AwsCallCounter.CallKey;
import dev.tollgate.aws.AwsCallCounter.Count;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * {@link AwsCallCounter}'s counts across processes: on the local stack every function runs in JVMs of
 * its own, and the stack (a benchmark, a test) reads what they counted. With {@link #DIRECTORY} in a
 * function's environment, its JVM rewrites one file there after every AWS call, its whole count so far
 * ({@code <function>-<pid>.json}); {@link #read} adds up every file. Off unless the local stack sets it.
 */
public final class AwsCallCountFiles implements ExecutionInterceptor {

    /** The directory the counts go to, one file per JVM. */
    public static final String DIRECTORY = "TOLLGATE_AWS_CALL_COUNTS_DIR";

    private final Path file;

    private AwsCallCountFiles(Path file) {
        this.file = file;
    }

    static boolean enabledIn(FunctionEnvironment environment) {
        return AwsCallCounter.enabledIn(environment)
                && environment.get(DIRECTORY).isPresent();
    }

    static AwsCallCountFiles forFunction(FunctionEnvironment environment) {
        String function =
                environment.get(AwsCallCounter.FUNCTION_NAME, "unnamed").replaceAll("[^A-Za-z0-9_.-]", "_");
        return new AwsCallCountFiles(Path.of(environment.require(DIRECTORY))
                .resolve(function + "-" + ProcessHandle.current().pid() + ".json"));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        publish();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        publish();
    }

    /** The whole count of this JVM, replaced at once (a reader never sees half a file). */
    private void publish() {
        ArrayNode counts = Json.MAPPER.createArrayNode();
        AwsCallCounter.snapshot()
                .forEach((key, count) -> counts.addObject()
                        .put("function", key.function())
                        .put("service", key.service())
                        .put("operation", key.operation())
                        .put("calls", count.calls())
                        .put("attempts", count.attempts())
                        .put("metricsRequested", count.metricsRequested()));
        synchronized (AwsCallCountFiles.class) {
            try {
                Files.createDirectories(file.getParent());
                Path partial = file.resolveSibling(file.getFileName() + ".part");
                Files.writeString(partial, Json.write(counts));
                try {
                    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot publish the AWS call counts to " + file, e);
            }
        }
    }

    /** Every JVM's counts under {@code directory}, added up (empty when none published yet). */
    public static Map<CallKey, Count> read(Path directory) {
        Map<CallKey, Count> total = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return total;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".json"))
                    .toList()) {
                for (JsonNode count : Json.MAPPER.readTree(file.toFile())) {
                    total.merge(
                            new CallKey(
                                    count.path("function").asText(),
                                    count.path("service").asText(),
                                    count.path("operation").asText()),
                            new Count(
                                    count.path("calls").asLong(),
                                    count.path("attempts").asLong(),
                                    count.path("metricsRequested").asLong()),
                            Count::plus);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the AWS call counts under " + directory, e);
        }
        return total;
    }
}
