package dev.tollgate.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The repository's sample events, for integration tests that send them as they are. */
final class RepositoryFilesForTests {

    private RepositoryFilesForTests() {}

    static String event(String name) {
        try {
            return Files.readString(RepositoryFiles.root().resolve("events").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
