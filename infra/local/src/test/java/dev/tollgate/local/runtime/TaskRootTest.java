package dev.tollgate.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cold start reads the function's classes as Lambda's runtime does: from the unpacked package, lib jars after. */
class TaskRootTest {

    @TempDir
    Path folder;

    @Test
    void unpacksThePackageAndGivesTheRuntimesClassPath() throws IOException {
        Path jar = zip("function.jar", "dev/", "dev/Handler.class", "lib/b.jar", "lib/a.jar", "log4j2.xml");

        TaskRoot root = TaskRoot.unpack(jar, folder.resolve("task"));

        assertEquals(4, root.files());
        Path task = folder.resolve("task").toAbsolutePath().normalize();
        assertEquals("dev/Handler.class", Files.readString(task.resolve("dev/Handler.class")));
        // The task root first, then lib's jars in name order, as the runtime's CustomerClassLoader lists them.
        assertEquals(List.of(task, task.resolve("lib/a.jar"), task.resolve("lib/b.jar")), root.classPath());
    }

    @Test
    void aShadedJarIsItsOwnTaskRoot() throws IOException {
        TaskRoot root = TaskRoot.unpack(zip("shaded.jar", "dev/Handler.class"), folder.resolve("task"));

        assertEquals(List.of(folder.resolve("task").toAbsolutePath().normalize()), root.classPath());
    }

    @Test
    void refusesAnEntryOutsideTheTaskRoot() throws IOException {
        Path jar = zip("evil.jar", "../outside.class");

        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> TaskRoot.unpack(jar, folder.resolve("task")));

        assertTrue(refused.getMessage().contains("../outside.class"), refused.getMessage());
        assertFalse(Files.exists(folder.resolve("outside.class")));
    }

    /** A zip whose files hold their own names; names ending in / are folders. */
    private Path zip(String name, String... entries) throws IOException {
        Path jar = folder.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                if (!entry.endsWith("/")) {
                    zip.write(entry.getBytes(StandardCharsets.UTF_8));
                }
                zip.closeEntry();
            }
        }
        return jar;
    }
}
