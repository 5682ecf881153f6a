package dev.tollgate.local.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * AWS's Lambda runtime interface client for Java ({@code com.amazonaws:aws-lambda-java-runtime-interface-client}),
 * as the build copies it to {@code infra/local/target/lambda-runtime}, and the command line that starts a
 * function's JVM under it the way the managed {@code java21} runtime does: the client and the libraries it
 * needs on the system class path, the function's own jar loaded from its task root ({@code lib/*.jar}),
 * the heap, metaspace and code cache sized from the function's memory as Lambda sizes them.
 *
 * @see <a href="https://github.com/aws/aws-lambda-java-libs/tree/main/aws-lambda-java-runtime-interface-client">the client's source</a>
 */
public final class RuntimeInterfaceClient {

    /** The client's entry point: {@code AWSLambda <handler>} loads the handler and polls the Runtime API. */
    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** Where the client loads its JNI library from when set; otherwise it unpacks it to one fixed file in /tmp for every JVM. */
    static final String JNI_LIBRARY_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private static final String JNI_ENTRY = "jni/libaws-lambda-jni.linux-x86_64.so";
    private static final String CLIENT_JAR_PREFIX = "aws-lambda-java-runtime-interface-client-";

    private final Path folder;
    private final List<Path> classPath;
    private final Path jniLibrary;
    private final String version;

    private RuntimeInterfaceClient(Path folder, List<Path> classPath, Path jniLibrary, String version) {
        this.folder = folder;
        this.classPath = List.copyOf(classPath);
        this.jniLibrary = jniLibrary;
        this.version = version;
    }

    /**
     * The client copied under {@code repository}, its JNI library unpacked once into {@code scratch}:
     * the client would otherwise overwrite one shared file in /tmp at every JVM start, under JVMs
     * that are loading it at that moment.
     */
    public static RuntimeInterfaceClient locate(Path repository, Path scratch) {
        Path folder =
                repository.resolve("infra").resolve("local").resolve("target").resolve("lambda-runtime");
        List<Path> jars;
        try (Stream<Path> files = Files.exists(folder) ? Files.list(folder) : Stream.empty()) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path client = jars.stream()
                .filter(jar -> jar.getFileName().toString().startsWith(CLIENT_JAR_PREFIX))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the Lambda runtime interface client is not in " + folder
                        + "; build with ./mvnw -DskipTests package"));
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                || !System.getProperty("os.arch", "").matches("amd64|x86_64")) {
            throw new IllegalStateException(
                    "the Lambda runtime interface client's native library is built for Linux x86_64; this is "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
        String name = client.getFileName().toString();
        return new RuntimeInterfaceClient(
                folder,
                jars,
                unpackJni(client, scratch),
                name.substring(CLIENT_JAR_PREFIX.length(), name.length() - ".jar".length()));
    }

    private static Path unpackJni(Path client, Path scratch) {
        try (ZipFile zip = new ZipFile(client.toFile())) {
            var entry = zip.getEntry(JNI_ENTRY);
            if (entry == null) {
                throw new IllegalStateException(client + " has no " + JNI_ENTRY);
            }
            Files.createDirectories(scratch);
            Path library = scratch.resolve("libaws-lambda-jni.so");
            Path partial = Files.createTempFile(scratch, "libaws-lambda-jni", ".part");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            return Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the runtime interface client's native library", e);
        }
    }

    /** Where the client's jars are: the runtime's own directory ({@code LAMBDA_RUNTIME_DIR}). */
    Path folder() {
        return folder;
    }

    /**
     * The runtime's own jars, on the system class path before any function's: the client, the Lambda interfaces and
     * the SDK's {@code utils-lite}, through which the client hands each invocation's trace id to the X-Ray recorder.
     */
    public List<Path> classPath() {
        return classPath;
    }

    /** The client's version, from its jar ({@code 2.10.1}). */
    public String version() {
        return version;
    }

    /** The command that starts {@code function}'s JVM under the client, in its task root. */
    List<String> command(FunctionConfiguration function) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions(function.memoryMb()));
        command.add("-D" + JNI_LIBRARY_PROPERTY + "=" + jniLibrary);
        command.add("-cp");
        command.add(classPath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
        command.add(MAIN_CLASS);
        command.add(function.handler());
        return command;
    }

    /**
     * The JVM options of Lambda's Java runtime for a function of {@code memoryMb}: 85 % of the memory for
     * the heap, 10 % for metaspace, 5 % for the code cache, the serial collector, class data sharing, C1
     * only (the default of the java17 and later runtimes). {@code -XX:MaxRAM} makes the JVM see the
     * sandbox's memory as its machine's, as it sees the sandbox's limit on Lambda (so the initial heap is
     * a 64th of it, not of this machine's). The cold-start benchmark starts its JVMs with these too.
     */
    public static List<String> lambdaJvmOptions(int memoryMb) {
        long memoryKb = memoryMb * 1024L;
        return List.of(
                "-XX:MaxHeapSize=" + Math.round(memoryKb * 0.85) + "k",
                "-XX:MaxMetaspaceSize=" + Math.round(memoryKb * 0.10) + "k",
                "-XX:ReservedCodeCacheSize=" + Math.round(memoryKb * 0.05) + "k",
                "-XX:MaxRAM=" + memoryMb + "m",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true");
    }

    /**
     * Lambda's options, and {@code -XX:-UsePerfData}, local only: no hsperfdata file per JVM in /tmp; it changes
     * nothing the function sees.
     */
    static List<String> jvmOptions(int memoryMb) {
        List<String> options = new ArrayList<>(lambdaJvmOptions(memoryMb));
        options.add("-XX:-UsePerfData");
        return options;
    }
}
