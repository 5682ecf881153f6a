package dev.tollgate.aws;

import dev.tollgate.json.Json;
import dev.tollgate.priming.Priming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Every AWS call a function makes, one JSON line each in a file several JVMs may share: which
 * function called which operation of which service, and the resources the request and the answer
 * name (identifiers only: names, ARNs, ids, tag keys; never a value, a payload or a tag's value).
 * The tests read it to check each call against the function's IAM role as AWS would evaluate it.
 */
final class AwsCallLog {

    /** Member names that identify a resource: {@code TableName}, {@code ListenerArn}, {@code SecretId}, {@code cluster}… */
    private static final Pattern IDENTIFIER = Pattern.compile(
            "(?i).*(arn|arns|name|names|id|ids)|cluster|services?|tasks?|taskDefinition|family|bucket|key|prefix|qualifier|include");
    /** One JVM serialises its own writers (a file lock is held per JVM, not per thread); the file lock the other JVMs. */
    private static final Object WRITERS = new Object();

    private final Path file;
    private final boolean functionsOwnCredentials;

    AwsCallLog(Path file, boolean functionsOwnCredentials) {
        this.file = file;
        this.functionsOwnCredentials = functionsOwnCredentials;
    }

    void record(String function, String service, String operation, Object request, Object response, String errorCode) {
        if (Priming.active()) {
            return; // answered inside the JVM during SnapStart priming: nothing reached AWS
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("function", function);
        line.put("service", service);
        line.put("operation", operation);
        if (!functionsOwnCredentials) {
            line.put("credentials", "handed"); // not the function's role: CodePipeline's artifact credentials
        }
        if (request instanceof SdkPojo pojo) {
            line.put("request", identifiers(pojo, true, true));
        }
        if (response instanceof SdkPojo pojo) {
            line.put("response", identifiers(pojo, true, false));
        }
        if (errorCode != null) {
            line.put("error", errorCode);
        }
        append(Json.write(line) + "\n");
    }

    /**
     * The identifying members of a request or response, and those of the objects it holds directly
     * ({@code overrides.taskRoleArn}); of a request, also those of the objects in its lists
     * ({@code Entries.EventBusName} of PutEvents, one value per entry).
     */
    static Map<String, Object> identifiers(SdkPojo pojo, boolean descend, boolean intoLists) {
        Map<String, Object> found = new LinkedHashMap<>();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            String name = field.memberName();
            if (value instanceof String text && IDENTIFIER.matcher(name).matches()) {
                found.put(name, text);
            } else if (value instanceof List<?> list
                    && !list.isEmpty()
                    && list.get(0) instanceof String
                    && IDENTIFIER.matcher(name).matches()) {
                found.put(name, list);
            } else if (value instanceof List<?> list && name.equalsIgnoreCase("tags")) {
                found.put("tagKeys", tagKeys(list));
            } else if (value instanceof SdkPojo nested && descend) {
                identifiers(nested, false, false)
                        .forEach((member, identifier) -> found.put(name + "." + member, identifier));
            } else if (value instanceof List<?> list && descend && intoLists) {
                for (Object element : list) {
                    if (element instanceof SdkPojo nested) {
                        identifiers(nested, false, false)
                                .forEach((member, identifier) -> addTo(found, name + "." + member, identifier));
                    }
                }
            }
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private static void addTo(Map<String, Object> found, String member, Object identifier) {
        ((List<Object>) found.computeIfAbsent(member, ignored -> new ArrayList<>())).add(identifier);
    }

    private static List<String> tagKeys(List<?> tags) {
        List<String> keys = new ArrayList<>();
        for (Object tag : tags) {
            if (tag instanceof SdkPojo pojo) {
                pojo.sdkFields().stream()
                        .filter(field -> field.memberName().equalsIgnoreCase("key"))
                        .map(field -> field.getValueOrDefault(pojo))
                        .filter(String.class::isInstance)
                        .forEach(key -> keys.add((String) key));
            }
        }
        return keys;
    }

    private void append(String line) {
        synchronized (WRITERS) {
            try (FileChannel channel = FileChannel.open(
                            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    FileLock ignored = channel.lock()) {
                channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the AWS calls log " + file, e);
            }
        }
    }
}
