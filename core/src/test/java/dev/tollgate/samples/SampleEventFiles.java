package dev.tollgate.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's sample events ({@code events/}) as files, so tests read what SAM CLI users invoke with. */
public final class SampleEventFiles {

    private SampleEventFiles() {}

    public static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("events")) && Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir.resolve("events");
            }
        }
        throw new IllegalStateException(
                "no events/ directory above " + Path.of("").toAbsolutePath());
    }

    public static String read(String name) {
        try {
            return Files.readString(directory().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
