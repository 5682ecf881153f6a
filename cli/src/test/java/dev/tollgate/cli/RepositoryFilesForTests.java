package dev.tollgate.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's own files (sample events, docs) for this module's tests, which Maven runs in cli/. */
final class RepositoryFilesForTests {

    private RepositoryFilesForTests() {}

    static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent();
        if (!Files.isRegularFile(root.resolve("template.yaml"))) {
            throw new IllegalStateException("the tests run in the cli module's directory, below the repository: "
                    + Path.of("").toAbsolutePath());
        }
        return root;
    }

    static String event(String name) {
        try {
            return Files.readString(root().resolve("events").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
