package dev.tollgate.bench.coldstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/** A function's deployable jar ({@code functions/<module>/target/<module>.jar}) and the handler it serves. */
record FunctionJar(String function, String module, String handlerClass, Path jar) {

    /** The module whose shaded jar holds {@code handlerClass}, under {@code jarsFolder} or the repository's function modules. */
    static FunctionJar locate(Path repository, Optional<Path> jarsFolder, String function, String handlerClass) {
        String entry = handlerClass.replace('.', '/') + ".class";
        try (Stream<Path> modules = Files.list(repository.resolve("functions"))) {
            for (Path module : modules.sorted().toList()) {
                String name = module.getFileName().toString();
                Path jar = jarsFolder
                        .map(folder -> folder.resolve(name + ".jar"))
                        .orElse(module.resolve("target").resolve(name + ".jar"));
                if (Files.isRegularFile(jar) && contains(jar, entry)) {
                    return new FunctionJar(function, name, handlerClass, jar);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no function jar holds " + handlerClass + " (" + function + ") under "
                + jarsFolder.orElse(repository.resolve("functions")) + "; build with ./mvnw -DskipTests package");
    }

    long bytes() {
        try {
            return Files.size(jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Class files in the jar: what the function carries, whether it loads them or not. */
    int classFiles() {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return (int) zip.stream()
                    .filter(entry -> entry.getName().endsWith(".class"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Path> classPath() {
        return List.of(jar);
    }

    private static boolean contains(Path jar, String entry) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(entry) != null;
        }
    }
}
