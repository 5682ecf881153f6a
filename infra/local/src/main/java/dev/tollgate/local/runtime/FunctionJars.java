package dev.tollgate.local.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A function's deployable jar, {@code functions/<module>/target/<module>.jar} (what the Makefile puts
 * in a SAM build's {@code lib/}), found from its handler class: the module whose sources hold it.
 */
public final class FunctionJars {

    private FunctionJars() {}

    public static Path locate(Path repository, String handlerClass) {
        Path source = Path.of("src", "main", "java").resolve(handlerClass.replace('.', '/') + ".java");
        try (Stream<Path> modules = Files.list(repository.resolve("functions"))) {
            Path module = modules.filter(candidate -> Files.isRegularFile(candidate.resolve(source)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no function module under " + repository.resolve("functions") + " holds " + handlerClass));
            Path jar = module.resolve("target").resolve(module.getFileName() + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is not built; build with ./mvnw -DskipTests package");
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
